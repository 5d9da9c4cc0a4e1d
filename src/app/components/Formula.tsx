/** TeX typeset by KaTeX into a DOM node (no HTML strings from React; the TeX is ours, not user text). */
import katex from 'katex';
import 'katex/dist/katex.min.css';
import { useEffect, useRef } from 'react';

export function Formula({ tex, display = true }: { tex: string; display?: boolean }) {
  const ref = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    katex.render(tex, ref.current, {
      displayMode: display,
      throwOnError: false,
      output: 'htmlAndMathml',
    });
  }, [tex, display]);
  return <span ref={ref} className={display ? 'formula formula--display' : 'formula'} />;
}
