// <Relations> with <Relation value=… background=…> children: relations between two regions of
// any kind (spans, paragraph spans, boxes, polygons, key points, ellipses), drawn as arrows over
// the interface. The arrows and the list are this component's; where a region is on screen it
// asks the components that draw it (`ctx.regionRects(id)`, their `regionRects`), so it knows no
// region kind. The relations themselves are result items (relations-model.js).
//
// Making one: select a region, press Alt+R (or the Relate button), then click the other region;
// by keyboard, ] and [ step through the regions (the target while relating) and Enter makes
// it. The new relation is selected: D turns its direction (right → bi → left), a digit (or a
// click on a label) gives it that <Relation>'s label, Delete or Backspace removes it, Esc lets go.
// Each change is one undo step. Labels and region names are drawn as text, never as markup.
import { h, placeChildren, svg } from "../dom.js";
import { labelColor, rgba } from "../colors.js";
import {
  anchorBox, arc, findRelation, isRelation, newRelation, nextDirection, regionIds, relationKey, stepId, toggleLabel,
} from "../relations-model.js";

const ARROW = { right: "→", left: "←", bi: "↔" };
let instances = 0;

export function Relations(node, ctx) {
  const choice = node.attrs.choice === "single" ? "single" : "multiple";
  const values = (node.children || []).filter((c) => c.tag === "Relation").map((c, i) => ({
    value: String(c.resultValue ?? c.attrs.value),
    color: labelColor(c.attrs.background, i),
  }));
  const order = values.map((v) => v.value);
  // marker ids are the document's: unique across widgets, even ones from another copy of this bundle
  const uid = `jl-rel-${(instances += 1)}-${Math.random().toString(36).slice(2, 8)}`;

  let state = null;
  /** @type {string | null} the selected relation's key */
  let selected = null;
  /** @type {string | null} the region a relation being made starts from */
  let source = null;
  let stepping = false; // the selection moves because ] or [ was pressed, not a click

  const relateButton = h("button", {
    type: "button", class: "jl-button jl-relate", text: "Relate", title: "Relate the selected region to another (Alt+R)",
    on: { click: () => start() },
  });
  const statusEl = h("span", { class: "jl-relations-status", attrs: { "aria-live": "polite" } });
  const listEl = h("ol", { class: "jl-relations-list", attrs: { "aria-label": "Relations" } });
  const labelsEl = h("div", { class: "jl-relations-labels", hidden: true });
  const el = h("div", { class: "jl-relations", dataset: { count: "0" } }, [
    h("div", { class: "jl-relations-head" }, [h("strong", { text: "Relations" }), relateButton, statusEl]),
    listEl, labelsEl,
  ]);

  // the arrows: one SVG over the whole interface, placed once the interface is on the page
  const overlay = svg("svg", { class: "jl-relations-overlay", "aria-hidden": "true" });
  const defs = svg("defs");
  for (const [id, cls] of [["", "jl-relation-head"], ["-on", "jl-relation-head jl-relation-head-on"]]) {
    const marker = svg("marker", { id: `${uid}-head${id}`, viewBox: "0 0 10 10", refX: 9, refY: 5,
      markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse", class: cls });
    marker.append(svg("path", { d: "M 0 0 L 10 5 L 0 10 z" }));
    defs.append(marker);
  }
  const arrowsEl = svg("g");
  overlay.append(defs, arrowsEl);
  /** @type {HTMLElement | null} */
  let host = null;
  let frame = 0;

  const relations = () => (state ? state.result.filter(isRelation) : []);
  /** The regions on screen, in result order. */
  const shownRegions = () => (state ? regionIds(state.result).filter((id) => ctx.regionRects(id).length) : []);

  /** What a region is called in the list: its first label and its text, if it has one. */
  function regionName(id) {
    const item = state && state.result.find((r) => !isRelation(r) && String(r.id) === id && r.value);
    if (!item) return id;
    const value = item.value;
    const labels = Object.values(value).find((v) => Array.isArray(v) && v.length && v.every((x) => typeof x === "string"));
    const text = typeof value.text === "string" ? value.text : Array.isArray(value.text) ? value.text.join(" ") : "";
    const short = text.length > 24 ? `${text.slice(0, 23)}…` : text;
    return [labels ? labels[0] : "", short ? `“${short}”` : ""].filter(Boolean).join(" ") || id;
  }

  function setSelected(key) {
    selected = key;
    if (key != null && ctx.selectedRegion() != null) ctx.selectRegion(null);
    drawList();
    schedule();
  }

  function start() {
    const id = ctx.selectedRegion();
    if (!state || id == null) {
      ctx.notice("Select a region first, then Relate (Alt+R) and pick the other one");
      return;
    }
    source = id;
    selected = null;
    el.dataset.relating = source;
    statusEl.textContent = `From ${regionName(source)}: click the other region, or ] / [ then Enter · Esc cancels`;
    drawList();
    schedule();
  }

  function cancel() {
    source = null;
    delete el.dataset.relating;
    statusEl.textContent = "";
    schedule();
  }

  function finish(target) {
    const from = source;
    cancel();
    const rel = newRelation(state.result, from, target);
    if (!rel) {
      ctx.notice(from === target ? "A region cannot be related to itself" : "These two regions are related already");
      return;
    }
    state.commit([...state.result, rel]);
    ctx.selectRegion(null);
    setSelected(relationKey(rel));
  }

  /** Replace the selected relation by `change(rel)` (one undo step). */
  function edit(change) {
    const rel = findRelation(relations(), selected);
    if (!rel || !state) return;
    const next = change(rel);
    state.commit(state.result.map((r) => (r === rel ? next : r)));
  }

  function remove(key) {
    if (!state) return;
    const rel = findRelation(relations(), key);
    if (!rel) return;
    if (selected === key) selected = null;
    state.commit(state.result.filter((r) => r !== rel));
  }

  const turn = () => edit((rel) => ({ ...rel, direction: nextDirection(rel.direction || "right") }));
  const label = (value) => edit((rel) => ({ ...rel, labels: toggleLabel(Array.isArray(rel.labels) ? rel.labels : [], value, choice, order) }));

  // -- the list --------------------------------------------------------------------------------
  function drawList() {
    const rels = relations();
    el.dataset.count = String(rels.length);
    relateButton.disabled = !state || ctx.selectedRegion() == null;
    listEl.replaceChildren(...rels.map((rel) => {
      const key = relationKey(rel);
      const direction = rel.direction || "right";
      const labels = Array.isArray(rel.labels) ? rel.labels : [];
      const on = key === selected;
      return h("li", { class: `jl-relation-row${on ? " jl-selected" : ""}`, dataset: { from: rel.from_id, to: rel.to_id, direction } }, [
        h("button", {
          type: "button", class: "jl-relation-pick", attrs: { "aria-pressed": String(on) },
          title: "Select this relation", on: { click: () => setSelected(on ? null : key) },
        }, [
          h("span", { class: "jl-relation-end", text: regionName(String(rel.from_id)) }),
          h("span", { class: "jl-relation-arrow", text: ` ${ARROW[direction] || "→"} ` }),
          h("span", { class: "jl-relation-end", text: regionName(String(rel.to_id)) }),
          labels.length ? h("span", { class: "jl-relation-labels", text: ` · ${labels.join(", ")}` }) : null,
        ]),
        h("button", {
          type: "button", class: "jl-relation-direction", text: ARROW[direction] || "→", title: "Turn the direction (D)",
          on: { click: () => { selected = key; turn(); } },
        }),
        h("button", {
          type: "button", class: "jl-relation-delete", text: "×", title: "Delete this relation (Delete)",
          on: { click: () => remove(key) },
        }),
      ]);
    }));
    const rel = findRelation(rels, selected);
    labelsEl.hidden = !rel || !values.length;
    const chosen = rel && Array.isArray(rel.labels) ? rel.labels : [];
    labelsEl.replaceChildren(...values.map((v, i) => h("button", {
      type: "button", class: `jl-label jl-relation-label${chosen.includes(v.value) ? " jl-selected" : ""}`,
      attrs: { "aria-pressed": String(chosen.includes(v.value)) }, dataset: { value: v.value },
      style: { "border-color": rgba(v.color) }, title: i < 9 ? `Key ${i + 1}` : "",
      on: { click: () => label(v.value) },
    }, [h("span", { class: "jl-label-key", text: i < 9 ? String(i + 1) : "" }), h("span", { text: v.value })])));
  }

  // -- the arrows ------------------------------------------------------------------------------
  function schedule() {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      drawArrows();
    });
  }

  /** relation key → {look, g}: the arrows drawn, and what each was drawn from */
  let drawnArrows = new Map();

  function drawArrows() {
    if (!host || !state) {
      arrowsEl.replaceChildren();
      drawnArrows = new Map();
      return;
    }
    const base = host.getBoundingClientRect();
    const place = (id) => {
      const box = anchorBox(ctx.regionRects(id));
      return box && { left: box.left - base.left, right: box.right - base.left, top: box.top - base.top, bottom: box.bottom - base.top };
    };
    let drawn = 0;
    const out = [];
    const nextArrows = new Map();
    for (const rel of relations()) {
      const a = place(String(rel.from_id));
      const b = place(String(rel.to_id));
      if (!a || !b) continue;
      const key = relationKey(rel);
      const on = key === selected;
      const direction = rel.direction || "right";
      const { d, mid } = arc(a, b);
      // an arrow that did not move is kept as it is: redrawing all of them while one region is
      // dragged would repaint everything they cross
      const labels = Array.isArray(rel.labels) ? rel.labels : [];
      const look = JSON.stringify([d, mid.x, mid.y, on, direction, labels]);
      const kept = drawnArrows.get(key);
      if (kept && kept.look === look) {
        nextArrows.set(key, kept);
        out.push(kept.g);
        drawn += 1;
        continue;
      }
      const head = `url(#${uid}-head${on ? "-on" : ""})`;
      const line = svg("path", { d, class: "jl-relation-line" });
      if (direction === "right" || direction === "bi") line.setAttribute("marker-end", head);
      if (direction === "left" || direction === "bi") line.setAttribute("marker-start", head);
      const hit = svg("path", { d, class: "jl-relation-hit" });
      hit.addEventListener("mousedown", (event) => {
        event.preventDefault(); // keep the keys in the widget, select no text
        event.stopPropagation();
        const root = host && host.closest(".jl-root");
        if (root instanceof HTMLElement) root.focus({ preventScroll: true });
        setSelected(key);
      });
      const g = svg("g", { class: `jl-relation${on ? " jl-selected" : ""}`, "data-from": rel.from_id, "data-to": rel.to_id, "data-direction": direction });
      g.append(line, hit);
      if (labels.length) {
        const text = svg("text", { x: mid.x, y: mid.y - 3, class: "jl-relation-text", "text-anchor": "middle" });
        text.textContent = labels.join(", ");
        g.append(text);
      }
      out.push(g);
      nextArrows.set(key, { look, g });
      drawn += 1;
    }
    drawnArrows = nextArrows;
    placeChildren(arrowsEl, out);
    overlay.dataset.drawn = String(drawn);
  }

  // Arrows follow their regions: a redraw when the interface changes size (text wraps again),
  // when anything in it is drawn again (a box moved, the image zoomed) and when it scrolls.
  const resized = new ResizeObserver(() => schedule());
  // The pointer's own marks (its label, the brush ring) move on every pointer move and never
  // move a region: they do not redraw the arrows.
  const POINTER_MARKS = ".jl-pointer-label, .jl-brush-ring";
  const changed = new MutationObserver((records) => {
    if (records.some((r) => !overlay.contains(r.target) &&
      !(r.target instanceof Element && r.target.matches(POINTER_MARKS)))) schedule();
  });
  const scrolled = () => schedule();

  function attach() {
    const interfaceEl = el.closest(".jl-interface");
    if (!(interfaceEl instanceof HTMLElement) || host === interfaceEl) return;
    host = interfaceEl;
    host.classList.add("jl-has-relations");
    host.append(overlay);
    resized.observe(host);
    changed.observe(host, { subtree: true, childList: true, attributes: true, attributeFilter: ["style", "class", "hidden"] });
    host.addEventListener("scroll", scrolled, true);
  }

  // -- keys --------------------------------------------------------------------------------------
  function onKey(key, event) {
    if (!state) return false;
    // a row's own buttons: Enter and Space press them (elsewhere Enter submits)
    const t = event && event.target;
    if ((key === "enter" || key === "space") && t instanceof HTMLButtonElement && el.contains(t)) {
      t.click();
      return true;
    }
    if (source != null) {
      if (key === "escape") cancel();
      else if (key === "]" || key === "[") step(key === "]" ? 1 : -1);
      else if (key === "enter") {
        const target = ctx.selectedRegion();
        if (target != null && target !== source) finish(target);
        else ctx.notice("Pick the other region with ] or [ first (Esc cancels)");
      } else return false;
      return true;
    }
    if (selected != null) {
      if (key === "delete" || key === "backspace") remove(selected);
      else if (key === "d") turn();
      else if (key === "escape") setSelected(null);
      else if (/^[1-9]$/.test(key) && Number(key) <= values.length) label(values[Number(key) - 1].value);
      else if (key === "]" || key === "[") stepRelation(key === "]" ? 1 : -1);
      else return false;
      return true;
    }
    if (key === "alt+r") {
      start();
      return true;
    }
    if ((key === "]" || key === "[") && shownRegions().length) {
      step(key === "]" ? 1 : -1);
      return true;
    }
    if ((key === "alt+]" || key === "alt+[") && relations().length) {
      stepRelation(key === "alt+]" ? 1 : -1);
      return true;
    }
    return false;
  }

  /** Select the next (or previous) region on screen, the source of a relation being made aside. */
  function step(by) {
    const ids = shownRegions().filter((id) => id !== source);
    const next = stepId(ids, ctx.selectedRegion(), by);
    if (next == null) return;
    stepping = true;
    try {
      ctx.selectRegion(next);
    } finally {
      stepping = false;
    }
  }

  function stepRelation(by) {
    const keys = relations().map(relationKey);
    setSelected(stepId(keys, selected, by));
  }

  return {
    el,
    show(task, s) {
      state = s;
      selected = null;
      cancel();
      attach();
      drawList();
      schedule();
    },
    update(s) {
      state = s;
      if (selected != null && !findRelation(relations(), selected)) selected = null;
      if (source != null && !regionIds(state.result).includes(source)) cancel();
      drawList();
      schedule();
    },
    onKey,
    onSelection(id) {
      // a click on another region while relating makes the relation; ] and [ only move
      if (source != null && id != null && id !== source && !stepping) {
        const target = id;
        queueMicrotask(() => finish(target));
        return;
      }
      if (id != null && selected != null) selected = null;
      drawList();
      schedule();
    },
    destroy() {
      cancelAnimationFrame(frame);
      resized.disconnect();
      changed.disconnect();
      if (host) host.removeEventListener("scroll", scrolled, true);
      overlay.remove();
    },
  };
}
