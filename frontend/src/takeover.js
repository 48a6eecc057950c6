// The live widgets take over from the step the server painted, without a jump and without losing a tap.
//
// The painted step (#ck-prepaint) is plain HTML shaped like the widgets' own, so it reads and answers the
// same while the widgets load. What the client did meanwhile is still in it: a ticked option, typed text
// (compared with what the server sent), a pressed button (marked by the page's inline script). Once the
// live widgets are drawn, hidden, beside it, each of those is done again on them, as the client's own
// tap or typing would (so the widgets send it to the kernel, which saves it), and the two swap places in
// one frame, keeping the focus and the scroll position.

const FIELD_CLASS = "ck-id-";

/** The live widget of a field: the element carrying the class ``ck-id-<field>``. */
function liveField(live, field) {
  for (const element of live.querySelectorAll(".ck-field")) {
    if (element.classList.contains(FIELD_CLASS + field)) return element;
  }
  return null;
}

/** What the client changed on the painted step: one entry per field changed, then a pressed button. */
export function changes(painted) {
  const found = [];
  for (const field of painted.querySelectorAll("[data-ck-field]")) {
    const id = field.dataset.ckField;
    const inputs = Array.from(field.querySelectorAll("input, textarea"));
    inputs.forEach((input, index) => {
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked !== input.defaultChecked) found.push({ id, kind: input.type, index });
      } else if (input.value !== input.defaultValue) {
        found.push({ id, kind: "text", index, value: input.value });
      }
    });
  }
  const pressed = Array.from(painted.querySelectorAll("button[data-ck-pressed]"));
  pressed.sort((a, b) => Number(a.dataset.ckPressed) - Number(b.dataset.ckPressed));
  if (pressed.length) found.push({ kind: "button", label: pressed[pressed.length - 1].textContent.trim() });
  return found;
}

function liveInputs(element) {
  return element ? Array.from(element.querySelectorAll("input, textarea")) : [];
}

/** Do each change again on the live widgets, as the client would; returns how many were applied. */
export function replay(found, live) {
  let applied = 0;
  for (const change of found) {
    if (change.kind === "button") continue;
    const input = liveInputs(liveField(live, change.id))[change.index];
    if (!input || input.disabled) continue;
    if (change.kind === "radio") {
      if (!input.checked) input.click();
    } else if (change.kind === "checkbox") {
      input.click();
    } else {
      input.value = change.value;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
    applied += 1;
  }
  return applied;
}

/** The pressed button's live twin (same words), clicked once the changes before it have gone. */
export function pressedButton(found, live) {
  const change = found.find((item) => item.kind === "button");
  if (!change) return null;
  return Array.from(live.querySelectorAll("button")).find(
    (button) => button.textContent.trim() === change.label && !button.disabled
      && getComputedStyle(button).visibility !== "hidden",
  ) || null;
}

/** Where the focus is on the painted step, as a way to find its live twin. */
function focusPlace(painted) {
  const active = document.activeElement;
  if (!active || !painted.contains(active)) return null;
  const field = active.closest("[data-ck-field]");
  if (field) {
    return { id: field.dataset.ckField, index: liveInputs(field).indexOf(active) };
  }
  if (active.tagName === "BUTTON") return { label: active.textContent.trim() };
  return null;
}

function refocus(place, live) {
  if (!place) return;
  let target = null;
  if (place.id) target = liveInputs(liveField(live, place.id))[place.index];
  else target = Array.from(live.querySelectorAll("button")).find((b) => b.textContent.trim() === place.label);
  if (target) target.focus({ preventScroll: true });
}

/** Swap the painted step for the live widgets in one frame, the focus and scroll kept. */
export function swap(painted, live) {
  const place = focusPlace(painted);
  const { scrollX, scrollY } = window;
  live.hidden = false;
  painted.remove();
  refocus(place, live);
  window.scrollTo(scrollX, scrollY);
}
