/**
 * End-to-end tests of the six first-principles scenes (issue 6; seeds 004 and 002) in headless
 * Chromium. Run after `npx vite build`:
 *
 *   bash scripts/with-swiftshader.sh node --test e2e/principles.test.mjs
 *
 * Each test drives a scene through its test-hook slice (`window.__otlab.<scene>`: step / runToEnd /
 * reset, see src/app/testHook.ts) or its controls, checks the numbers against values computed here
 * independently (brute force, closed forms, definitions), and saves a screenshot to e2e/artifacts/.
 */
// Functions passed to page.evaluate / waitForFunction run in the browser:
/* global window */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ARTIFACTS, READY_TIMEOUT_MS, useBuiltApp } from './harness.mjs';

const app = useBuiltApp();

/** Opens `#/<scene>?<query>` and waits for the scene's hook slice. */
async function openScene(scene, key, query = {}) {
  const { page, context, errors } = await app.open(`#/${scene}?${new URLSearchParams(query)}`);
  await page.waitForFunction((k) => window.__otlab[k] !== undefined, key, {
    timeout: READY_TIMEOUT_MS,
  });
  return { page, context, errors };
}

/**
 * Shows another URL in the same page (cheaper than a new page, and it exercises the hash route):
 * the slice is removed first, so waiting for it means waiting for the new parameters' numbers.
 */
async function navigate(page, scene, key, query) {
  const hash = `#/${scene}?${new URLSearchParams(query)}`;
  await page.evaluate(
    ([k, h]) => {
      delete window.__otlab[k];
      window.location.hash = h;
    },
    [key, hash],
  );
  await page.waitForFunction((k) => window.__otlab[k] !== undefined, key);
}

/** Calls a driver of the slice (step / runToEnd / reset) and returns the fresh numbers. */
const drive = (page, key, driver, ...args) =>
  page.evaluate(([k, d, a]) => window.__otlab[k][d](...a), [key, driver, args]);
const numbers = (page, key) => page.evaluate((k) => window.__otlab[k], key);

async function finish(page, context, errors, name) {
  try {
    await page.screenshot({ path: join(ARTIFACTS, name), fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
}

const close = (actual, expected, tolerance, what) =>
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: ${actual} vs ${expected} (tolerance ${tolerance})`,
  );

// ------------------------------------------------------------------------ stable matching

/** Every permutation of 0..n−1. */
function permutations(n) {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) =>
    Array.from({ length: n }, (_, k) => [...p.slice(0, k), n - 1, ...p.slice(k)]),
  );
}

/** Blocking pairs of an A → B matching from the ranked lists (definition, by indexOf). */
function blocking(prefA, prefB, matching) {
  const holder = [];
  matching.forEach((b, a) => (holder[b] = a));
  const pairs = [];
  for (let a = 0; a < matching.length; a += 1)
    for (let b = 0; b < matching.length; b += 1) {
      if (matching[a] === b) continue;
      const aWants = matching[a] < 0 || prefA[a].indexOf(b) < prefA[a].indexOf(matching[a]);
      const bWants = holder[b] === undefined || prefB[b].indexOf(a) < prefB[b].indexOf(holder[b]);
      if (aWants && bWants) pairs.push({ a, b });
    }
  return pairs;
}

test('stable matching: rounds of Gale–Shapley end stable and proposer-optimal', async () => {
  const query = { n: '5', seed: '15', taste: '0.6', proposers: 'A', compare: 'assignment' };
  const { page, context, errors } = await openScene('stable-matching', 'stableMatching', query);
  try {
    const start = await numbers(page, 'stableMatching');
    const { n, preferencesA: prefA, preferencesB: prefB, cost } = start;
    assert.equal(n, 5);
    assert.equal(start.current.round, 0);
    assert.ok(start.current.matching.every((b) => b === -1));

    // Round 1: every A member proposes to its favourite; each B keeps its best suitor.
    const round1 = await drive(page, 'stableMatching', 'step', 1);
    assert.equal(round1.current.round, 1);
    assert.deepEqual(
      round1.current.proposals.map((p) => [p.a, p.b]),
      prefA.map((list, a) => [a, list[0]]),
    );
    for (const p of round1.current.proposals) {
      const rivals = round1.current.proposals.filter((q) => q.b === p.b).map((q) => q.a);
      const best = rivals.reduce((x, y) => (prefB[p.b].indexOf(x) < prefB[p.b].indexOf(y) ? x : y));
      assert.equal(p.accepted, p.a === best, `B${p.b + 1} keeps its best suitor`);
    }
    assert.deepEqual(round1.current.blocking, blocking(prefA, prefB, round1.current.matching));

    // The keyboard steps too (→ is the control bar's step key).
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => window.__otlab.stableMatching.position === 2);

    const end = await drive(page, 'stableMatching', 'runToEnd');
    assert.equal(end.finished, true);
    const result = end.current.matching;
    assert.deepEqual([...result].sort(), [0, 1, 2, 3, 4], 'a perfect matching');
    assert.deepEqual(blocking(prefA, prefB, result), [], 'stable');
    assert.deepEqual(end.current.blocking, []);

    // Brute force over the 120 matchings: the stable ones, and A's best partner among them.
    const all = permutations(n);
    const stable = all.filter((m) => blocking(prefA, prefB, m).length === 0);
    for (let a = 0; a < n; a += 1) {
      const best = Math.min(...stable.map((m) => prefA[a].indexOf(m[a])));
      assert.equal(prefA[a].indexOf(result[a]), best, `A${a + 1} gets its best stable partner`);
    }
    // B proposing gives B's best stable partners: the comparison's other-side row.
    const otherSide = end.comparison.find((row) => row.id === 'other-side').matching;
    assert.notDeepEqual(
      otherSide,
      result,
      'this instance has two different extreme stable matchings',
    );
    for (let b = 0; b < n; b += 1) {
      const best = Math.min(...stable.map((m) => prefB[b].indexOf(m.indexOf(b))));
      assert.equal(prefB[b].indexOf(otherSide.indexOf(b)), best, `B${b + 1} best when B proposes`);
    }
    // The minimum-cost assignment against all matchings; its blocking pairs by definition.
    const costOf = (m) => m.reduce((s, b, a) => s + cost[a][b], 0);
    const assignment = end.comparison.find((row) => row.id === 'assignment');
    close(assignment.cost, Math.min(...all.map(costOf)), 1e-12, 'assignment cost');
    assert.deepEqual(assignment.blocking, blocking(prefA, prefB, assignment.matching));

    // Your matching: pick A1's partner in its select; the rank goes to the URL.
    const target = (assignment.matching[0] + 1) % n;
    await page.getByLabel('A1 with').selectOption(String(target));
    await page.waitForFunction(
      (b) =>
        window.__otlab.stableMatching.comparison.find((r) => r.id === 'custom').matching[0] === b,
      target,
    );
    const edited = await numbers(page, 'stableMatching');
    assert.equal(edited.finished, true, 'editing your matching keeps the rounds where they were');
    const custom = edited.comparison.find((r) => r.id === 'custom');
    assert.deepEqual(custom.blocking, blocking(prefA, prefB, custom.matching));
    close(custom.cost, costOf(custom.matching), 1e-12, 'custom cost');
    assert.match(page.url(), /custom=\d+/);
    assert.match(page.url(), /compare=custom/);
  } finally {
    await finish(page, context, errors, 'principles-stable-matching.png');
  }
});

// ---------------------------------------------------------------- Monge vs Kantorovich

const sq = (p, q) => (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2;

/** Three atoms to two with masses no subset matches, and a perturbation along a rectangle. */
const THREE_TO_TWO = {
  preset: 'three-to-two',
  ns: '3',
  nt: '2',
  ...{ sx1: '0.2', sy1: '0.2', sa1: '0.5', sx2: '0.2', sy2: '0.5', sa2: '0.3' },
  ...{ sx3: '0.2', sy3: '0.8', sa3: '0.2', tx1: '0.8', ty1: '0.3', tb1: '0.6' },
  ...{ tx2: '0.8', ty2: '0.7', tb2: '0.4' },
  ...{ amount: '0.5', i1: '1', j1: '1', i2: '2', j2: '2' },
};

test('Monge vs Kantorovich: no map for one atom to two; cycle cancelling reaches the optimum', async () => {
  const { page, context, errors } = await openScene('monge-kantorovich', 'mongeKantorovich', {
    preset: 'split',
  });
  try {
    const n = await numbers(page, 'mongeKantorovich');
    assert.deepEqual(n.monge, { count: 0, bestCost: null, bestMap: null }, 'no map splits an atom');
    assert.deepEqual(n.current.plan, [[0.5, 0.5]]);
    assert.equal(n.current.isMap, false);
    assert.equal(n.current.monotone, true);
    assert.equal(n.finished, true, 'a single coupling is optimal at once');
    const expected = 0.5 * sq(n.sources[0], n.targets[0]) + 0.5 * sq(n.sources[0], n.targets[1]);
    close(n.optimal.cost, expected, 1e-12, 'split cost');
    // Move the source with the keyboard: the URL follows, the example becomes custom.
    await page.getByTestId('source-0').focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => window.__otlab.params.sx1 > 0.2);
    assert.match(page.url(), /preset=custom/);
    assert.match(page.url(), /sx1=0\.22/);
    await page.screenshot({ path: join(ARTIFACTS, 'principles-monge-split.png'), fullPage: true });

    // Three atoms to two with masses no subset matches; a user perturbation along a rectangle.
    await navigate(page, 'monge-kantorovich', 'mongeKantorovich', THREE_TO_TWO);

    const start = await numbers(page, 'mongeKantorovich');
    assert.equal(start.monge.count, 0, 'no subset of {0.5, 0.3, 0.2} has mass 0.6');
    assert.ok(start.perturbation.moved > 0);
    const { a, b, sources, targets } = start;
    const rowSums = start.current.plan.map((row) => row.reduce((s, v) => s + v, 0));
    const colSums = b.map((_, j) => start.current.plan.reduce((s, row) => s + row[j], 0));
    rowSums.forEach((s, i) => close(s, a[i], 1e-12, `row ${i}`));
    colSums.forEach((s, j) => close(s, b[j], 1e-12, `column ${j}`));
    assert.equal(start.current.monotone, false);
    // The violating cycle really saves: Σ c(x_i, y_j) > Σ c(x_i, y_next j).
    const cycle = start.current.cycle;
    const along = cycle.reduce((s, c) => s + sq(sources[c.i], targets[c.j]), 0);
    const rematched = cycle.reduce(
      (s, c, t) => s + sq(sources[c.i], targets[cycle[(t + 1) % cycle.length].j]),
      0,
    );
    close(along - rematched, start.current.gain, 1e-12, 'cycle gain');
    assert.ok(start.current.gain > 0);
    assert.ok(start.current.cost > start.optimal.cost);

    const end = await drive(page, 'mongeKantorovich', 'runToEnd');
    assert.equal(end.current.monotone, true);
    close(end.current.cost, end.optimal.cost, 1e-12, 'cancelled to the optimum');
    end.costs.slice(1).forEach((c, k) => assert.ok(c < end.costs[k], 'each cycle lowers the cost'));
  } finally {
    await finish(page, context, errors, 'principles-monge-kantorovich.png');
  }
});

// -------------------------------------------------------------------------------- duality

test('duality: c-transforms raise the dual value; the optimal pair closes the gap', async () => {
  const query = { k: '32', cost: 'squared', start: 'random', seed: '4' };
  const { page, context, errors } = await openScene('duality', 'duality', query);
  try {
    const first = await numbers(page, 'duality');
    const { grid, a, b, plan } = first;
    const c = (i, j) => (grid[i] - grid[j]) ** 2;
    const primal = plan.reduce((s, e) => s + e.mass * c(e.i, e.j), 0);
    close(first.primal, primal, 1e-12, 'primal cost from the plan');
    plan.forEach((e) => assert.ok(e.mass >= 0));
    const marginal = (side) =>
      (side === 'a' ? a : b).map((_, k) =>
        plan.filter((e) => (side === 'a' ? e.i : e.j) === k).reduce((s, e) => s + e.mass, 0),
      );
    marginal('a').forEach((m, i) => close(m, a[i], 1e-12, `μ marginal ${i}`));
    marginal('b').forEach((m, j) => close(m, b[j], 1e-12, `ν marginal ${j}`));

    const worst = ({ f, g }) => {
      let v = -Infinity;
      for (let i = 0; i < grid.length; i += 1)
        for (let j = 0; j < grid.length; j += 1) v = Math.max(v, f[i] + g[j] - c(i, j));
      return v;
    };
    const dual = ({ f, g }) =>
      a.reduce((s, w, i) => s + w * f[i], 0) + b.reduce((s, w, j) => s + w * g[j], 0);

    const stages = [first.stage];
    for (let k = 1; k < 5; k += 1) stages.push((await drive(page, 'duality', 'step', 1)).stage);
    assert.deepEqual(
      stages.map((s) => s.kind),
      ['start', 'g-from-f', 'f-from-g', 'g-again', 'optimal'],
    );
    for (const s of stages.slice(1)) {
      assert.ok(worst(s) <= 1e-12, `${s.kind}: f + g ≤ c (${worst(s)})`);
      close(s.dual, dual(s), 1e-12, `${s.kind} dual value`);
      assert.ok(s.dual <= primal + 1e-12, 'weak duality');
    }
    assert.ok(stages[2].dual >= stages[1].dual - 1e-15, 'f^cc ≥ f raises the dual value');
    stages[3].g.forEach((g, j) => close(g, stages[1].g[j], 1e-12, 'f^ccc = f^c'));
    const optimal = stages[4];
    close(optimal.dual, primal, 1e-10, 'strong duality');
    for (const e of plan)
      close(optimal.f[e.i] + optimal.g[e.j], c(e.i, e.j), 1e-10, 'tight on support');
    const end = await numbers(page, 'duality');
    assert.equal(end.finished, true);
    assert.ok(end.stage.slackness < 1e-10);
  } finally {
    await finish(page, context, errors, 'principles-duality.png');
  }
});

// ------------------------------------------------------------------------------ W1 vs W2

test('W1 vs W2: areas and quantiles from the samples; the FID formula and its estimates', async () => {
  const query = { m1: '0', s1: '1', m2: '1.5', s2: '0.6', w: '0', n: '200', p: '3', seed: '2' };
  const { page, context, errors } = await openScene('w1-w2', 'wassersteinLine', query);
  try {
    const n = await numbers(page, 'wassersteinLine');
    const { x, y } = n.samples;
    assert.equal(x.length, 200);
    // Equal sample sizes: the quantile coupling pairs the k-th smallest values.
    const gaps = x.map((v, k) => Math.abs(v - y[k]));
    const mean = (values) => values.reduce((s, v) => s + v, 0) / values.length;
    close(n.samples.w1, mean(gaps), 1e-12, 'W1 from quantiles');
    close(n.samples.w2, Math.sqrt(mean(gaps.map((g) => g * g))), 1e-12, 'W2 from quantiles');
    close(n.samples.wp, mean(gaps.map((g) => g ** 3)) ** (1 / 3), 1e-12, 'W3 from quantiles');
    close(n.samples.w1ByCdf, n.samples.w1, 1e-12, 'area between the CDFs = W1');
    assert.ok(n.samples.w1 <= n.samples.w2 + 1e-15 && n.samples.w2 <= n.samples.wp + 1e-15);
    // Two normals: the closed form (m1 − m2)² + (s1 − s2)² is W2² of the laws.
    const formula = 1.5 ** 2 + 0.4 ** 2;
    close(n.population.formula, formula, 1e-12, 'Gaussian formula');
    close(n.population.w2 ** 2, formula, 1e-6, 'W2² by quadrature');

    const end = await drive(page, 'wassersteinLine', 'runToEnd');
    assert.deepEqual(
      end.sweep.map((s) => s.n),
      [10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000],
    );
    const error = (points) => mean(points.map((s) => Math.abs(s.empirical - formula)));
    assert.ok(error(end.sweep.slice(-3)) < 0.05, `large-n error ${error(end.sweep.slice(-3))}`);
    assert.ok(error(end.sweep.slice(-3)) < error(end.sweep.slice(0, 3)), 'the estimate converges');
    close(end.sweep.at(-1).plugIn, formula, 0.05, 'plug-in FID at n = 10⁵');
    await page.screenshot({ path: join(ARTIFACTS, 'principles-w1-w2.png'), fullPage: true });

    // An outlier bump in ν: the Gaussian formula is only a lower bound (Gelbrich).
    await navigate(page, 'w1-w2', 'wassersteinLine', { w: '0.1', outlier: '5' });
    const outlier = await numbers(page, 'wassersteinLine');
    assert.equal(outlier.gaussian, false);
    assert.ok(outlier.population.w2 ** 2 > outlier.population.formula + 0.1);
  } finally {
    await finish(page, context, errors, 'principles-w1-w2-outlier.png');
  }
});

// -------------------------------------------------------------------------------- k-means

test('k-means: Lloyd half-steps never raise W2²; the assignment is an optimal plan', async () => {
  const query = { n: '160', blobs: '4', spread: '0.06', k: '4', init: 'kmeans++', seed: '5' };
  const { page, context, errors } = await openScene('kmeans', 'kmeans', query);
  try {
    const first = await numbers(page, 'kmeans');
    const { points } = first;
    const key = (p) => p.join(',');
    const pointSet = new Set(points.map(key));
    first.start.forEach((z) => assert.ok(pointSet.has(key(z)), 'k-means++ starts on data points'));
    assert.equal(first.stage.phase, 'assign');
    close(first.stage.exactOt, first.stage.objective, 1e-12, 'nearest-atom plan = exact OT');

    const end = await drive(page, 'kmeans', 'runToEnd');
    assert.equal(end.finished, true);
    end.objectives
      .slice(1)
      .forEach((o, k) =>
        assert.ok(o <= end.objectives[k] + 1e-12, `half-step ${k + 1} raised W2²`),
      );
    // The final state from its definition: nearest atoms, atoms at their clusters' means.
    const { atoms, labels, weights, objective } = end.stage;
    const d2 = (p, z) => (p[0] - z[0]) ** 2 + (p[1] - z[1]) ** 2;
    let total = 0;
    points.forEach((p, i) => {
      const nearest = Math.min(...atoms.map((z) => d2(p, z)));
      close(d2(p, atoms[labels[i]]), nearest, 1e-15, `point ${i} goes to its nearest atom`);
      total += nearest;
    });
    close(objective, total / points.length, 1e-12, 'W2² of the final plan');
    atoms.forEach((z, j) => {
      const members = points.filter((_, i) => labels[i] === j);
      close(weights[j], members.length / points.length, 1e-12, `weight ${j}`);
      if (members.length === 0) return;
      close(z[0], mean(members.map((p) => p[0])), 1e-12, `atom ${j} x`);
      close(z[1], mean(members.map((p) => p[1])), 1e-12, `atom ${j} y`);
    });
    close(end.stage.exactOt, objective, 1e-12, 'final plan is an exact OT');
  } finally {
    await finish(page, context, errors, 'principles-kmeans.png');
  }
});

function mean(values) {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

// ----------------------------------------------------------------------- N-representability

test('N-representability: cost per pair rises with k to the mean field; the user check', async () => {
  const query = { uDiag: '1', uAB: '0.2', t: '0.3', kmax: '30' };
  const { page, context, errors } = await openScene(
    'n-representability',
    'representability',
    query,
  );
  try {
    const first = await numbers(page, 'representability');
    const meanField = (1 - 0.3) ** 2 + 0.3 ** 2 + 2 * 0.2 * 0.3 * 0.7;
    close(first.meanField, meanField, 1e-12, 'mean-field value');
    const costs = first.curve.map((c) => c.costPerPair);
    assert.equal(first.curve[0].k, 2);
    costs.slice(1).forEach((c, k) => assert.ok(c >= costs[k] - 1e-12, 'non-decreasing in k'));
    costs.forEach((c) => assert.ok(c <= meanField + 1e-12, 'below the mean field'));
    // The k-region's top lies within t(1 − t)/(k − 1) of the mean-field bound (equal at t = j/k,
    // here t = 9/30): the gap in cost per pair is 2(U_diag − U_AB) times that.
    close(meanField - costs.at(-1), (2 * 0.8 * 0.21) / 29, 1e-12, 'gap at k = 30');

    const at5 = await drive(page, 'representability', 'step', 3);
    assert.equal(at5.stage.k, 5);
    const { AA, AB, BA, BB } = at5.stage.pair;
    close(AA + AB + BA + BB, 1, 1e-12, 'a probability');
    close(AB, BA, 1e-15, 'symmetric');
    close(BB + AB, 0.3, 1e-12, 'one-body marginal t');
    close(at5.stage.costPerPair, 1 * (AA + BB) + 0.2 * (AB + BA), 1e-12, 'cost per pair');
    close(at5.stage.costPerPair, costs[3], 1e-12, 'the chart’s k = 5 value');
    // A mixture of symmetric 5-particle states with j particles in B: mean j = 5t.
    close(
      at5.stage.weights.reduce((s, w, j) => s + w * j, 0),
      1.5,
      1e-12,
      'Σ w_j j = kt',
    );

    // The default user density (0.1, 0.4, 0.4, 0.1) breaks the seed's inequality: 0.8 > 0.4.
    assert.equal(first.user.inequality.satisfied, false);
    close(first.user.inequality.maxViolation, 0.8 - 2 * 0.2, 1e-12, 'violation');
    assert.equal(first.user.largestK, 2);
    await page.screenshot({
      path: join(ARTIFACTS, 'principles-n-representability.png'),
      fullPage: true,
    });

    await navigate(page, 'n-representability', 'representability', {
      pAA: '0.3',
      pAB: '0.2',
      pBA: '0.2',
      pBB: '0.3',
    });
    const symmetric = await numbers(page, 'representability');
    assert.equal(symmetric.user.inequality.satisfied, true);
    assert.equal(symmetric.user.largestK, Infinity, 'α = 0.2 ≤ t(1 − t) = 0.25: every k');

    // U_diag ≤ U_AB is no toy model of repulsion: a message, and no numbers.
    await page.evaluate(() => {
      window.location.hash = '#/n-representability?uDiag=0.2&uAB=1';
    });
    await page.getByTestId('scene-error').waitFor();
    assert.equal(await page.evaluate(() => window.__otlab.representability), undefined);
  } finally {
    await finish(page, context, errors, 'principles-n-representability-invalid.png');
  }
});
