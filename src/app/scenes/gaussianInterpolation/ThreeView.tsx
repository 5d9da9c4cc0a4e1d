/**
 * 3D tab: the endpoints as ellipsoids (blue ρ₀, orange ρ₁) and the McCann interpolant (violet),
 * with orbit controls and its own play/pause that sweeps t back and forth. Every three.js resource
 * is disposed on unmount.
 */
import { useEffect, useRef, useState } from 'react';
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { copyCanvas, registerCanvasExport } from '../../lecture/exportViews';
import { prefersReducedMotion } from '../../lecture/media';
import type { EllipseParams } from './geometry';
import { COLORS } from './planeView';
import { ellipsoidMatrix, spacePath } from './space';

/** Ellipsoids are drawn at this many standard deviations. */
const RADIUS = 1.5;
/** Seconds for t to go from 0 to 1 while playing. */
const SWEEP_SECONDS = 3;

interface ThreeViewProps {
  ellipses: readonly [EllipseParams, EllipseParams];
  t: number;
}

export function ThreeView({ ellipses, t }: ThreeViewProps) {
  const host = useRef<HTMLDivElement>(null);
  const update =
    useRef<(ellipses: readonly [EllipseParams, EllipseParams], t: number) => void>(undefined);
  const [playing, setPlaying] = useState(false);
  const [shownT, setShownT] = useState(t);
  const latest = useRef({ ellipses, t });
  latest.current = { ellipses, t };

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    let renderer: THREE.WebGLRenderer;
    try {
      renderer = new THREE.WebGLRenderer({ antialias: true, alpha: true });
    } catch (error) {
      element.textContent = `3D view unavailable (WebGL): ${error instanceof Error ? error.message : String(error)}`;
      return;
    }
    const width = element.clientWidth || 640;
    const height = 420;
    renderer.setPixelRatio(Math.min(window.devicePixelRatio, 2));
    renderer.setSize(width, height);
    renderer.domElement.setAttribute('data-testid', 'three-canvas');
    renderer.domElement.setAttribute('role', 'img');
    renderer.domElement.setAttribute(
      'aria-label',
      '3D view: ellipsoids of ρ₀, ρ₁ and the McCann interpolant',
    );
    element.appendChild(renderer.domElement);

    const scene = new THREE.Scene();
    const camera = new THREE.PerspectiveCamera(40, width / height, 0.1, 100);
    camera.position.set(6, -11, 8);
    camera.up.set(0, 0, 1);
    // WebGL pixels are readable only right after rendering: the export renders at its own scale
    // and copies in the same task (no cleanup: the registry forgets a removed canvas).
    registerCanvasExport(renderer.domElement, (scale) => {
      const ratio = renderer.getPixelRatio();
      renderer.setPixelRatio(scale);
      renderer.render(scene, camera);
      const { width: w, height: h } = renderer.domElement;
      const copy = copyCanvas(renderer.domElement, w, h);
      renderer.setPixelRatio(ratio);
      renderer.render(scene, camera);
      return copy;
    });
    const controls = new OrbitControls(camera, renderer.domElement);
    // Damping keeps the camera gliding after a drag: motion the user did not ask for.
    controls.enableDamping = !prefersReducedMotion();
    scene.add(new THREE.AmbientLight(0xffffff, 0.55));
    const sun = new THREE.DirectionalLight(0xffffff, 1.6);
    sun.position.set(4, -6, 10);
    scene.add(sun);
    const grid = new THREE.GridHelper(10, 10, 0x94a3b8, 0xe2e8f0);
    grid.rotation.x = Math.PI / 2;
    scene.add(grid);

    const geometry = new THREE.SphereGeometry(1, 48, 32);
    const material = (color: string, opacity: number) =>
      new THREE.MeshStandardMaterial({
        color,
        transparent: opacity < 1,
        opacity,
        roughness: 0.45,
        metalness: 0.05,
      });
    const materials = [
      material(COLORS.rho0, 0.35),
      material(COLORS.rho1, 0.35),
      material(COLORS.w2, 0.9),
    ];
    const meshes = materials.map((m) => {
      const mesh = new THREE.Mesh(geometry, m);
      mesh.matrixAutoUpdate = false;
      scene.add(mesh);
      return mesh;
    });
    update.current = (current, time) => {
      const path = spacePath(current, time);
      [path.a, path.b, path.at].forEach((g, k) => {
        meshes[k]!.matrix.fromArray(ellipsoidMatrix(g, RADIUS));
        meshes[k]!.matrixWorldNeedsUpdate = true;
      });
    };
    update.current(latest.current.ellipses, latest.current.t);

    let frame = requestAnimationFrame(function loop() {
      controls.update();
      renderer.render(scene, camera);
      frame = requestAnimationFrame(loop);
    });
    return () => {
      cancelAnimationFrame(frame);
      update.current = undefined;
      controls.dispose();
      geometry.dispose();
      for (const m of materials) m.dispose();
      grid.geometry.dispose();
      (grid.material as THREE.Material).dispose();
      renderer.dispose();
      renderer.forceContextLoss();
      renderer.domElement.remove();
    };
  }, []);

  // Paused: follow the shared t. Playing: sweep t back and forth.
  useEffect(() => {
    if (!playing) {
      update.current?.(ellipses, t);
      setShownT(t);
      return;
    }
    const start = performance.now();
    let frame = requestAnimationFrame(function tick(now) {
      const phase = ((now - start) / 1000 / SWEEP_SECONDS) % 2;
      const time = phase <= 1 ? phase : 2 - phase;
      update.current?.(latest.current.ellipses, time);
      setShownT(time);
      frame = requestAnimationFrame(tick);
    });
    return () => {
      cancelAnimationFrame(frame);
    };
  }, [playing, ellipses, t]);

  return (
    <section className="panel gi-three" aria-label="3D view">
      <header className="gi-three__bar">
        <button
          type="button"
          className="button"
          data-testid="three-play"
          onClick={() => {
            setPlaying((p) => !p);
          }}
        >
          {playing ? 'Pause' : 'Play'}
        </button>
        <span>
          t = <output data-testid="three-t">{shownT.toFixed(2)}</output> — drag to orbit, scroll to
          zoom. Blue ρ₀ and orange ρ₁ (tilted by 40° about x) at 1.5σ; violet: McCann interpolant
          N(m<sub>t</sub>, S<sub>t</sub>).
        </span>
      </header>
      <div ref={host} className="gi-three__host" />
    </section>
  );
}
