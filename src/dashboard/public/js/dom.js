// Building DOM safely: every string from a study becomes a text node (textContent), never HTML.

/**
 * An element with attributes and children. Strings and numbers become text nodes; null and
 * undefined children are skipped. `attrs.on` holds event listeners.
 * @param {string} tag
 * @param {Record<string, unknown>} [attrs]
 * @param {...unknown} children
 * @returns {HTMLElement}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'on') {
      for (const [event, listener] of Object.entries(value)) el.addEventListener(event, listener);
    } else if (name === 'className') {
      el.className = String(value);
    } else if (name === 'value' && 'value' in el) {
      el.value = String(value);
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

/** Appends children (strings as text). */
export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replaces an element's children. */
export function setChildren(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}
