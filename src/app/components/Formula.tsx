/** TeX typeset by KaTeX into a DOM node (no HTML strings from React; the TeX is ours, not user text). */
import katex from 'katex';
import 'katex/dist/katex.min.css';
import { useEffect, useRef, useState } from 'react';

export function Formula({ tex, display = true }: { tex: string; display?: boolean }) {
  const ref = useRef<HTMLSpanElement>(null);
  // A formula wider than its column scrolls sideways: then it takes focus, so the keyboard can
  // scroll it too.
  const [scrolls, setScrolls] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    katex.render(tex, element, {
      displayMode: display,
      throwOnError: false,
      output: 'htmlAndMathml',
    });
    const measure = () => {
      setScrolls(element.scrollWidth > element.clientWidth + 1);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => {
      observer.disconnect();
    };
  }, [tex, display]);
  return (
    <span
      ref={ref}
      className={display ? 'formula formula--display' : 'formula'}
      {...(scrolls
        ? { tabIndex: 0, role: 'group', 'aria-label': 'Formula, scrolls sideways' }
        : {})}
    />
  );
}
