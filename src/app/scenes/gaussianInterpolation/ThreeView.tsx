/**
 * 3D tab: the endpoints' components as ellipsoids (blue ρ₀, orange ρ₁) and the McCann / MW2
 * interpolant's components (violet), opacity following the weights, with orbit controls and its own
 * play/pause that sweeps t back and forth. Every three.js resource is disposed on unmount.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import type { GaussianMixture } from '../../../ot/gaussian';
import { registerWebglExport } from '../../lecture/webglExport';
import { prefersReducedMotion } from '../../lecture/media';
import type { Endpoints } from './endpoints';
import { COLORS } from './planeView';
import { ellipsoidMatrix, spacePath } from './space';

/** Ellipsoids are drawn at this many standard deviations. */
const RADIUS = 1.5;
/** Seconds for t to go from 0 to 1 while playing. */
const SWEEP_SECONDS = 3;

interface ThreeViewProps {
  endpoints: Endpoints;
  t: number;
}

/** What one frame shows: each mixture's components with a colour and an opacity range. */
type Layer = { mixture: GaussianMixture; color: string; opacity: [number, number] };

export function ThreeView({ endpoints, t }: ThreeViewProps) {
  const host = useRef<HTMLDivElement>(null);
  const show = useRef<(layers: readonly Layer[]) => void>(undefined);
  const [playing, setPlaying] = useState(false);
  const [shownT, setShownT] = useState(t);
  const path = useMemo(() => {
    try {
      return spacePath(endpoints);
    } catch (failure) {
      return failure instanceof Error ? failure.message : String(failure);
    }
  }, [endpoints]);

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
    // No cleanup: the registry forgets a removed canvas.
    registerWebglExport(renderer, () => {
      renderer.render(scene, camera);
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
    // One mesh (with its own material: opacities differ) per component shown, grown on demand.
    const meshes: THREE.Mesh<THREE.SphereGeometry, THREE.MeshStandardMaterial>[] = [];
    show.current = (layers) => {
      let used = 0;
      for (const { mixture, color, opacity } of layers) {
        const heaviest = Math.max(...mixture.weights);
        mixture.components.forEach((g, k) => {
          if (used === meshes.length) {
            const mesh = new THREE.Mesh(
              geometry,
              new THREE.MeshStandardMaterial({
                transparent: true,
                roughness: 0.45,
                metalness: 0.05,
              }),
            );
            mesh.matrixAutoUpdate = false;
            scene.add(mesh);
            meshes.push(mesh);
          }
          const mesh = meshes[used]!;
          used += 1;
          mesh.visible = true;
          mesh.material.color.set(color);
          mesh.material.opacity =
            opacity[0] + (opacity[1] - opacity[0]) * (mixture.weights[k]! / heaviest);
          mesh.matrix.fromArray(ellipsoidMatrix(g, RADIUS));
          mesh.matrixWorldNeedsUpdate = true;
        });
      }
      for (const mesh of meshes.slice(used)) mesh.visible = false;
    };

    let frame = requestAnimationFrame(function loop() {
      controls.update();
      renderer.render(scene, camera);
      frame = requestAnimationFrame(loop);
    });
    return () => {
      cancelAnimationFrame(frame);
      show.current = undefined;
      controls.dispose();
      geometry.dispose();
      for (const mesh of meshes) mesh.material.dispose();
      grid.geometry.dispose();
      (grid.material as THREE.Material).dispose();
      renderer.dispose();
      renderer.forceContextLoss();
      renderer.domElement.remove();
    };
  }, []);

  // Paused: follow the shared t. Playing: sweep t back and forth.
  useEffect(() => {
    if (typeof path === 'string') {
      show.current?.([]);
      return;
    }
    const draw = (time: number) => {
      show.current?.([
        { mixture: path.a, color: COLORS.rho0, opacity: [0.15, 0.35] },
        { mixture: path.b, color: COLORS.rho1, opacity: [0.15, 0.35] },
        { mixture: path.at(time), color: COLORS.w2, opacity: [0.35, 0.9] },
      ]);
      setShownT(time);
    };
    if (!playing) {
      draw(t);
      return;
    }
    const start = performance.now();
    let frame = requestAnimationFrame(function tick(now) {
      const phase = ((now - start) / 1000 / SWEEP_SECONDS) % 2;
      draw(phase <= 1 ? phase : 2 - phase);
      frame = requestAnimationFrame(tick);
    });
    return () => {
      cancelAnimationFrame(frame);
    };
  }, [playing, path, t]);

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
          zoom. Blue ρ₀ and orange ρ₁ components (ρ₁ tilted by 40° about x) at 1.5σ; violet: the
          McCann interpolant N(m<sub>t</sub>, S<sub>t</sub>), for mixtures one per pair of the MW2
          plan; opacity follows the weights.
        </span>
      </header>
      {typeof path === 'string' && (
        <p className="notice notice--error" role="alert" data-testid="three-error">
          These endpoints cannot be shown: {path}
        </p>
      )}
      <div ref={host} className="gi-three__host" />
    </section>
  );
}
