// <Pairwise>: the better of two objects, Label Studio's {"type": "pairwise",
// "value": {"selected": "left"}} with the Pairwise's own name as to_name. A click on either
// object, or on its button, picks that side; picking the picked side again clears it. The two
// buttons are one stop of Tab: ← picks left, → right (elsewhere the arrows still go to the
// previous and next task). The picked object is outlined, and takes the config's
// selectionStyle as far as inline-style.js lets a config's CSS through (how it looks only).
import { editedOrigin, regionId } from "../annotation.js";
import { h } from "../dom.js";
import { apply, safeDeclarations } from "../inline-style.js";

const SIDES = /** @type {const} */ (["left", "right"]);

export function Pairwise(node, ctx) {
  const name = node.attrs.name;
  const names = (node.attrs.toname || []).map(String);
  let state = null;
  /** @type {Array<HTMLElement | null>} */
  let objects = [null, null];
  const selectionStyle = safeDeclarations(node.attrs.selectionstyle).kept;

  const buttons = SIDES.map((side, i) => h("button", {
    type: "button",
    class: "jl-choice jl-pairwise-side",
    tabIndex: i === 0 ? 0 : -1,
    attrs: { role: "radio", "aria-checked": "false", "aria-label": `${side === "left" ? "Left" : "Right"}: ${names[i] ?? ""}` },
    dataset: { side },
    on: { click: () => pick(side) },
  }, [h("span", { text: side === "left" ? "← Left" : "Right →" })]));
  const el = h("div", { class: "jl-pairwise", attrs: { role: "radiogroup", "aria-label": name }, dataset: { name } },
    buttons);

  function selected() {
    const found = state ? state.items(name)[0] : null;
    return found ? found.value.selected : null;
  }

  function pick(side) {
    if (!state) return;
    const existing = state.items(name)[0];
    const next = selected() === side ? null : side;
    state.set(name, next ? [{
      id: existing?.id || regionId(), from_name: name, to_name: name, type: "pairwise",
      origin: existing ? editedOrigin(existing.origin) : "manual", value: { selected: next },
    }] : []);
  }

  function attach() {
    // the objects exist once every component is made: look them up on the first task
    if (objects[0] || objects[1]) return;
    objects = names.slice(0, 2).map((n, i) => {
      const component = ctx.component(n);
      const target = component && component.el;
      if (target) {
        target.classList.add("jl-pairwise-object");
        target.addEventListener("click", () => {
          // a click that ends a text selection is a selection, not a pick
          const text = window.getSelection ? String(window.getSelection()) : "";
          if (!text) pick(SIDES[i]);
        });
      }
      return target || null;
    });
  }

  function update(s) {
    state = s;
    const now = selected();
    SIDES.forEach((side, i) => {
      const on = now === side;
      buttons[i].setAttribute("aria-checked", on ? "true" : "false");
      buttons[i].classList.toggle("jl-selected", on);
      if (objects[i]) {
        objects[i].classList.toggle("jl-pairwise-picked", on);
        apply(objects[i], selectionStyle, on);
      }
    });
  }

  return {
    el,
    name,
    show(_task, s) {
      attach();
      update(s);
    },
    update,
    onKey(key, event) {
      if (!(event.target instanceof Node) || !el.contains(event.target)) return false;
      if (key !== "arrowleft" && key !== "arrowright") return false;
      const i = key === "arrowleft" ? 0 : 1;
      if (selected() !== SIDES[i]) pick(SIDES[i]);
      buttons.forEach((b, j) => { b.tabIndex = j === i ? 0 : -1; });
      buttons[i].focus({ preventScroll: true });
      return true;
    },
  };
}
