/**
 * 3D view: the pooled one-body cloud of all K·N electrons as THREE.Points, coloured by particle or
 * by electron, with one particle's N electrons joined as a polygon; orbit controls.
 *
 * The render loop never goes through React: every animation frame it updates the controls and, at
 * most every POLL_MS, asks `source()` for the solver's latest snapshot. A new snapshot is copied
 * into the existing position buffers (no allocation per frame); the scene is rendered only when
 * something changed (new particles, camera motion, colours, size).
 */
import { useEffect, useRef } from 'react';
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import type { ParticleSnapshot } from '../../../solvers/mcot/types';
import { registerWebglExport } from '../../lecture/webglExport';
import { electronColours, type ColourMode } from './model';

/** Milliseconds between snapshot polls: the cloud moves at up to 10 Hz whatever the step rate. */
const POLL_MS = 100;
const HEIGHT = 460;
const HIGHLIGHT_COLOR = 0x111827;

interface CloudViewProps {
  K: number;
  N: number;
  /** Half-width of the region shown (a radius holding almost all of μ). */
  extent: number;
  colourMode: ColourMode;
  /** 0-based particle joined as a polygon. */
  highlight: number;
  source: () => ParticleSnapshot | undefined;
  /** Called after each redraw with new particles (the test hook counts them). */
  onUpdate: () => void;
}

interface CloudApi {
  setColours: (mode: ColourMode) => void;
  setHighlight: (k: number) => void;
}

export function CloudView({
  K,
  N,
  extent,
  colourMode,
  highlight,
  source,
  onUpdate,
}: CloudViewProps) {
  const host = useRef<HTMLDivElement>(null);
  const api = useRef<CloudApi | undefined>(undefined);
  const live = useRef({ colourMode, highlight, source, onUpdate });
  live.current = { colourMode, highlight, source, onUpdate };

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
    renderer.setPixelRatio(Math.min(window.devicePixelRatio, 2));
    renderer.domElement.setAttribute('data-testid', 'mcot-cloud-canvas');
    renderer.domElement.setAttribute('role', 'img');
    renderer.domElement.setAttribute('aria-label', '3D view of the pooled one-body cloud');
    element.appendChild(renderer.domElement);

    const scene = new THREE.Scene();
    const camera = new THREE.PerspectiveCamera(40, 1, extent / 100, extent * 40);
    camera.up.set(0, 0, 1);
    camera.position.set(1.3 * extent, -1.8 * extent, 1.1 * extent);
    const offExport = registerWebglExport(renderer, () => {
      renderer.render(scene, camera);
    });
    const controls = new OrbitControls(camera, renderer.domElement);
    controls.enableDamping = true;
    const axes = new THREE.AxesHelper(0.6 * extent);
    scene.add(axes);

    const count = K * N;
    const positions = new Float32Array(count * 3);
    const geometry = new THREE.BufferGeometry();
    const positionAttribute = new THREE.BufferAttribute(positions, 3);
    positionAttribute.setUsage(THREE.DynamicDrawUsage);
    geometry.setAttribute('position', positionAttribute);
    const colourAttribute = new THREE.BufferAttribute(new Float32Array(count * 3), 3);
    geometry.setAttribute('color', colourAttribute);
    const material = new THREE.PointsMaterial({
      size: extent * (count > 20000 ? 0.012 : 0.025),
      vertexColors: true,
      transparent: true,
      opacity: 0.85,
      depthWrite: false,
    });
    const cloud = new THREE.Points(geometry, material);
    // The particles move: a bounding sphere computed once would cull them wrongly.
    cloud.frustumCulled = false;
    scene.add(cloud);

    const polygonPositions = new Float32Array(N * 3);
    const polygonGeometry = new THREE.BufferGeometry();
    const polygonAttribute = new THREE.BufferAttribute(polygonPositions, 3);
    polygonAttribute.setUsage(THREE.DynamicDrawUsage);
    polygonGeometry.setAttribute('position', polygonAttribute);
    const polygonMaterial = new THREE.LineBasicMaterial({ color: HIGHLIGHT_COLOR });
    const polygon = new THREE.LineLoop(polygonGeometry, polygonMaterial);
    const cornerMaterial = new THREE.PointsMaterial({
      color: HIGHLIGHT_COLOR,
      size: extent * 0.06,
    });
    const corners = new THREE.Points(polygonGeometry, cornerMaterial);
    polygon.frustumCulled = false;
    corners.frustumCulled = false;
    scene.add(polygon, corners);

    let needsRender = true;
    let shown: ParticleSnapshot | undefined;
    const copyHighlight = () => {
      if (!shown) return;
      const k = Math.min(live.current.highlight, K - 1);
      for (let c = 0; c < N * 3; c += 1) polygonPositions[c] = shown.x[k * N * 3 + c]!;
      polygonAttribute.needsUpdate = true;
    };
    const poll = () => {
      const snapshot = live.current.source();
      if (!snapshot || snapshot === shown || snapshot.version === 0) return;
      if (snapshot.x.length !== positions.length) return; // a new problem is being loaded
      shown = snapshot;
      for (let c = 0; c < positions.length; c += 1) positions[c] = snapshot.x[c]!;
      positionAttribute.needsUpdate = true;
      copyHighlight();
      needsRender = true;
      live.current.onUpdate();
    };
    api.current = {
      setColours: (mode) => {
        colourAttribute.copyArray(electronColours(K, N, mode));
        colourAttribute.needsUpdate = true;
        needsRender = true;
      },
      setHighlight: () => {
        copyHighlight();
        needsRender = true;
      },
    };
    api.current.setColours(live.current.colourMode);

    const resize = () => {
      const width = element.clientWidth || 640;
      renderer.setSize(width, HEIGHT);
      camera.aspect = width / HEIGHT;
      camera.updateProjectionMatrix();
      needsRender = true;
    };
    resize();
    const observer = new ResizeObserver(resize);
    observer.observe(element);
    controls.addEventListener('change', () => {
      needsRender = true;
    });

    let lastPoll = -Infinity;
    let frame = requestAnimationFrame(function loop(now) {
      controls.update();
      if (now - lastPoll >= POLL_MS) {
        lastPoll = now;
        poll();
      }
      if (needsRender) {
        renderer.render(scene, camera);
        needsRender = false;
      }
      frame = requestAnimationFrame(loop);
    });
    return () => {
      cancelAnimationFrame(frame);
      offExport();
      api.current = undefined;
      observer.disconnect();
      controls.dispose();
      geometry.dispose();
      material.dispose();
      polygonGeometry.dispose();
      polygonMaterial.dispose();
      cornerMaterial.dispose();
      axes.dispose();
      renderer.dispose();
      renderer.forceContextLoss();
      renderer.domElement.remove();
    };
  }, [K, N, extent]);

  useEffect(() => {
    api.current?.setColours(colourMode);
  }, [colourMode]);

  useEffect(() => {
    api.current?.setHighlight(highlight);
  }, [highlight]);

  return <div ref={host} className="mcot-cloud" />;
}
