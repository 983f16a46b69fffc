/**
 * The reports' tooltip: one fixed-position element that shows a text beside the mouse or beside a
 * focused element, kept inside the window. Both apps' page scripts use it (bundled into the page
 * at build time), so it takes plain structural types rather than the DOM's: this package is
 * compiled without the DOM library.
 */

/** The part of an `HTMLElement` the tooltip uses. */
export interface TooltipElement {
  textContent: string | null;
  hidden: boolean;
  readonly style: { left: string; top: string };
  getBoundingClientRect(): { readonly width: number; readonly height: number };
}

/** The part of an `Element` the tooltip sits beside. */
export interface TooltipAnchor {
  getBoundingClientRect(): {
    readonly left: number;
    readonly top: number;
    readonly width: number;
    readonly height: number;
  };
}

export interface Size {
  readonly width: number;
  readonly height: number;
}

export interface Tooltip {
  /** Shows `text` (one fact a line) beside the point (x, y) in window coordinates. */
  show(text: string, x: number, y: number): void;
  /** Shows `text` beside the centre of `anchor`: for the keyboard's focus. */
  showBeside(anchor: TooltipAnchor, text: string): void;
  hide(): void;
}

/** A coordinate in CSS pixels, with at most two decimals. */
function cssPixels(value: number): string {
  return `${String(Math.round(value * 100) / 100)}px`;
}

/**
 * Where a tooltip of size `box` goes for the point (x, y): 14 px to the right of it and 16 px
 * below, moved left to stay 4 px inside the window, and above the point when it would run off
 * the bottom.
 */
export function tooltipPosition(
  box: Size,
  x: number,
  y: number,
  viewport: Size,
): { readonly left: number; readonly top: number } {
  const left = Math.max(4, Math.min(x + 14, viewport.width - box.width - 4));
  const top = y + 16 + box.height > viewport.height ? y - box.height - 12 : y + 16;
  return { left, top: Math.max(4, top) };
}

function windowSize(): Size {
  const view = globalThis as unknown as { innerWidth: number; innerHeight: number };
  return { width: view.innerWidth, height: view.innerHeight };
}

/** The tooltip drawn in `element`; `viewport` is the window's size (`innerWidth`, `innerHeight`). */
export function createTooltip(element: TooltipElement, viewport: () => Size = windowSize): Tooltip {
  const show = (text: string, x: number, y: number): void => {
    element.textContent = text;
    element.hidden = false;
    const { left, top } = tooltipPosition(element.getBoundingClientRect(), x, y, viewport());
    element.style.left = cssPixels(left);
    element.style.top = cssPixels(top);
  };
  return {
    show,
    showBeside(anchor, text) {
      const box = anchor.getBoundingClientRect();
      show(text, box.left + box.width / 2, box.top + box.height / 2);
    },
    hide() {
      element.hidden = true;
    },
  };
}
