/**
 * The lab page's script. `renderLabHtml` inlines it as `(${labPageScript.toString()})()`, so it
 * must use nothing from outside its own body at run time (no imports, no module-level names). It is
 * type-checked with the DOM's types like any other file, and tested in Chromium
 * (`lab-report.browser.test.ts`).
 *
 * Every Pareto point, heatmap cell and time series is an element with `tabindex="0"`, an
 * `aria-label` and a `data-tooltip` (its numbers, one fact a line): the script shows that text
 * beside the element under the mouse or with the keyboard's focus. Within a chart, the arrow keys
 * move the focus to the next or previous such element, Home and End to the first and last, and
 * Escape hides the tooltip.
 */
export function labPageScript(): void {
  const found = document.getElementById('tooltip');
  if (found === null) return;
  const tooltip: HTMLElement = found;
  const SELECTOR = '[data-tooltip]';
  const px = (value: number): string => `${String(Math.round(value))}px`;

  function show(element: Element, x: number, y: number): void {
    tooltip.textContent = element.getAttribute('data-tooltip') ?? '';
    tooltip.hidden = false;
    const box = tooltip.getBoundingClientRect();
    const left = Math.max(4, Math.min(x + 14, window.innerWidth - box.width - 4));
    const top = y + 16 + box.height > window.innerHeight ? y - box.height - 12 : y + 16;
    tooltip.style.left = px(left);
    tooltip.style.top = px(Math.max(4, top));
  }
  function showBeside(element: Element): void {
    const box = element.getBoundingClientRect();
    show(element, box.left + box.width / 2, box.top + box.height / 2);
  }
  function hide(): void {
    tooltip.hidden = true;
  }
  const target = (event: Event): Element | null =>
    event.target instanceof Element ? event.target.closest(SELECTOR) : null;

  document.addEventListener('mouseover', (event) => {
    const element = target(event);
    if (element !== null) show(element, event.clientX, event.clientY);
  });
  document.addEventListener('mouseout', (event) => {
    if (target(event) !== null && document.activeElement?.closest(SELECTOR) == null) hide();
  });
  document.addEventListener('focusin', (event) => {
    const element = target(event);
    if (element === null) hide();
    else showBeside(element);
  });
  document.addEventListener('focusout', (event) => {
    if (target(event) !== null) hide();
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      hide();
      return;
    }
    const element = target(event);
    const chart = element?.closest('svg');
    if (element == null || chart == null) return;
    const items = [...chart.querySelectorAll<SVGElement>(SELECTOR)];
    const at = items.indexOf(element as SVGElement);
    const next: Readonly<Record<string, number>> = {
      ArrowRight: at + 1,
      ArrowDown: at + 1,
      ArrowLeft: at - 1,
      ArrowUp: at - 1,
      Home: 0,
      End: items.length - 1,
    };
    const index = next[event.key];
    if (index === undefined) return;
    event.preventDefault();
    items[Math.max(0, Math.min(items.length - 1, index))]?.focus();
  });
}
