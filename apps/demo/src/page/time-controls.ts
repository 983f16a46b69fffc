import type { PageData } from '../report-page-data.js';
import { frameText } from './describe.js';
import { px } from './format.js';

/** The page's controls of time: the slider, Play/Pause and Peak. */
export interface TimeControls {
  readonly slider: HTMLInputElement;
  readonly play: HTMLButtonElement;
  readonly peak: HTMLButtonElement;
  readonly label: HTMLOutputElement;
}

/** Where a chart's cursor (`line.cursor`, with its `data-*` geometry) stands for a frame. */
export function cursorX(
  cursor: { readonly x0: number; readonly x1: number; readonly span: number },
  at: number,
): number {
  return cursor.x0 + (at / Math.max(1, cursor.span)) * (cursor.x1 - cursor.x0);
}

/**
 * Wires the controls: `draw(frame)` redraws the maps; the label, the slider's value text and the
 * charts' cursors follow. Play steps through the frames every 600 ms (from the start when at the
 * end); moving the slider or Peak stops it. Returns `setFrame`.
 */
export function timeControls(
  data: PageData,
  controls: TimeControls,
  draw: (frame: number) => void,
): (frame: number) => void {
  const { slider, play, peak, label } = controls;
  const frameCount = data.policies[0]?.frames.length ?? 0;
  const setFrame = (frame: number): void => {
    const index = Math.max(0, Math.min(frameCount - 1, frame));
    slider.value = String(index);
    draw(index);
    const text = frameText(data, index, frameCount);
    label.textContent = text;
    slider.setAttribute('aria-valuetext', text);
    const first = data.policies[0]?.frames[index];
    for (const cursor of document.querySelectorAll<SVGLineElement>('svg.chart line.cursor')) {
      const at = cursor.dataset.axis === 'time' ? (first?.time ?? 0) : (first?.event ?? 0);
      const geometry = {
        x0: Number(cursor.dataset.x0),
        x1: Number(cursor.dataset.x1),
        span: Number(cursor.dataset.events),
      };
      const x = px(cursorX(geometry, at));
      cursor.setAttribute('x1', x);
      cursor.setAttribute('x2', x);
      cursor.setAttribute('visibility', 'visible');
    }
  };

  let timer: number | undefined;
  const stop = (): void => {
    if (timer !== undefined) window.clearInterval(timer);
    timer = undefined;
    play.textContent = 'Play';
    play.setAttribute('aria-pressed', 'false');
  };
  play.addEventListener('click', () => {
    if (timer !== undefined) {
      stop();
      return;
    }
    if (Number(slider.value) >= frameCount - 1) setFrame(0);
    play.textContent = 'Pause';
    play.setAttribute('aria-pressed', 'true');
    timer = window.setInterval(() => {
      const next = Number(slider.value) + 1;
      if (next >= frameCount) stop();
      else setFrame(next);
    }, 600);
  });
  slider.addEventListener('input', () => {
    stop();
    setFrame(Number(slider.value));
  });
  peak.addEventListener('click', () => {
    stop();
    setFrame(data.peakFrame);
  });
  return setFrame;
}
