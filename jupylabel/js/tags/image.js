// <Image>: shows a task's picture and draws the regions of the controls that target it.
//
// The image sits in a stage moved by one CSS transform (zoom and pan); regions are drawn in
// screen pixels over it from their percent geometry, so their outlines and labels stay crisp
// at any zoom and a stored number never changes because of the view. Region controls
// (RectangleLabels, Rectangle, …) write the results; they expose a `regionTool`
// (regions/tool.js) that this component asks for the regions to draw and tells about gestures:
//   kind                      the region kind it draws (regions/index.js)
//   regions(state)            → [{id, shape, label, color, ink}]
//   create(state, shape, size) → the new region's id, or null (shape in percent, size = natural px)
//   update(state, id, shape)  one gesture's change (one undo step)
//   drawing()                 → {label, color, ink} of a region about to be drawn, or null (no label picked)
//   style                     {strokeWidth, fillOpacity}
//   namedBy()                 the control whose palette labels new regions (for `activate`)
// What a shape is (how it is drawn, hit, moved, resized and shown) is the kind's business;
// this component knows no shape.
//
// The selected region is the app's selected region (`ctx.selectedRegion()`, a result id), the
// one selection spans use too, so the app deletes it (Delete/Backspace), lets go of it (Escape)
// and a label key relabels it, whatever kind of region it is.
//
// Mouse: drag on the image draws a region with the active label (kinds drawn point by point
// take clicks until they end, Enter ends them, Escape drops them, Backspace takes back the last
// point); click a region to select it, drag it to move it, its handles to resize it; wheel
// zooms (when the widget has focus, or with Ctrl); middle button or Space + drag pans. A kind
// that `paints` (a brush mask) takes drags as strokes instead (its `paint`: start, move, end),
// onto the selected region of the same control or a new one; its tool's options (brush size,
// eraser) are the kind's (`options`, `optionKey`, `optionText`), kept here per control. Where a
// kind's handles are points (a polygon's), a click on one picks it: arrows then move that point
// and Delete removes it. Keys (given first refusal by the app): arrows nudge the selected region
// (Shift ×10, Alt resizes), + / - zoom, f fits. A kind that turns (`rotate`: boxes, ellipses)
// shows a rotate handle on a selected region of a control that allows it (`canRotate`, as in
// Label Studio): dragging it turns the region about its centre (Shift: in steps of 15°), and
// , / . turn it 1° anticlockwise / clockwise, < / > 15° (Label Studio has no keys for it; [ ]
// step through regions where there are relations).
//
// Pages: an Image with valueList shows the task's pictures one at a time (`task.pages[name]`),
// with ‹ › buttons and Ctrl+← / Ctrl+→ (Label Studio's image:prev / image:next). Only the page's
// regions are drawn; a region is drawn on the page it is on and its results carry it
// (`item_index`, regions/tool.js); selecting a region on another page turns to it.
import { h, placeChildren } from "../dom.js";
import { clampView, fitScale, imageToScreen, screenToImage, zoomAt } from "../geometry.js";
import { pointerAngle, snapDegrees, turnBetween } from "../rotation.js";
import { createImageCache, sourceOf } from "../media.js";
import { LEVEL_MAX, LEVEL_MIN, gridStep, gridStyle, imageFilter, nextTurn, sideways, turnPoint, turnTransform, turnedSize, unturnPoint } from "../image-view.js";

const MIN_DRAG = 4; // screen px: less is a click, not a drag
const MAX_ZOOM_PX = 32; // at most this many screen px per image px
const DRAFT = "__draft";
const DRAFT_STYLE = { strokeWidth: 2, fillOpacity: 0.2 }; // a region being drawn
const TURN_KEYS = { ",": -1, ".": 1, "<": -15, ">": 15 }; // degrees a key turns the selected region
const TURN_SNAP = 15; // degrees: Shift while turning by hand

export function Image(node, ctx) {
  const name = String(node.attrs.name);
  const cache = createImageCache(ctx.request);
  const showButtons = node.attrs.zoomcontrol !== false; // zoom buttons unless turned off explicitly
  // zoom="false" (Label Studio: no zooming with the wheel): the wheel scrolls the notebook and
  // the zoom keys do nothing; the view stays fitted.
  const zoomAllowed = node.attrs.zoom !== false;

  const img0 = h("div", { class: "jl-image-empty" });
  const stage = h("div", { class: "jl-image-stage" }, [img0]);
  const regionsEl = h("div", { class: "jl-image-regions" });
  const messageEl = h("div", { class: "jl-image-message", attrs: { role: "alert" }, hidden: true });
  // The label the next region gets, beside the pointer, so a drag never draws with a label
  // no one looked at.
  const pointerLabel = h("div", { class: "jl-pointer-label", attrs: { "aria-hidden": "true" }, hidden: true });
  // A painting kind's brush under the pointer, as large as it paints
  const brushRing = h("div", { class: "jl-brush-ring", attrs: { "aria-hidden": "true" }, hidden: true });
  // grid="true": lines every gridSize image px over the picture, under the regions; moved by
  // the same transform as the stage (the stage's children are replaced per picture).
  const gridEl = node.attrs.grid === true ? h("div", { class: "jl-image-grid", attrs: { "aria-hidden": "true" } }) : null;
  if (gridEl) Object.assign(gridEl.style, gridStyle(gridStep(node.attrs.gridsize), node.attrs.gridcolor,
    (c) => typeof CSS === "undefined" || !CSS.supports || CSS.supports("color", c)));
  // crosshair="true": two lines through the pointer, across the whole viewport
  const crossX = node.attrs.crosshair === true ? h("div", { class: "jl-crosshair jl-crosshair-x", attrs: { "aria-hidden": "true" }, hidden: true }) : null;
  const crossY = node.attrs.crosshair === true ? h("div", { class: "jl-crosshair jl-crosshair-y", attrs: { "aria-hidden": "true" }, hidden: true }) : null;
  // The picture, its grid and its regions in one layer, which rotateControl turns as a whole
  // (image-view.js): inside it every view computation is in the picture's unturned frame.
  const turnEl = h("div", { class: "jl-image-turn" }, [stage, gridEl, regionsEl].filter(Boolean));
  const viewport = h("div", { class: "jl-image-viewport", dataset: { name } },
    [turnEl, crossX, crossY, brushRing, pointerLabel, messageEl].filter(Boolean));
  const zoomText = h("span", { class: "jl-image-zoom", text: "" });
  const tool = (text, title, action) => h("button", {
    type: "button", class: "jl-button jl-image-tool", text, title,
    on: { click: (e) => { e.preventDefault(); action(); } },
  });
  // brightnessControl / contrastControl: sliders that filter the picture only (never the
  // regions, drawn in their own layer), kept while the widget is open, stored nowhere.
  const levels = { brightness: 100, contrast: 100 };
  const slider = (key, label) => {
    const input = h("input", {
      type: "range", class: `jl-image-${key}`,
      attrs: { min: String(LEVEL_MIN), max: String(LEVEL_MAX), step: "1", value: "100", "aria-label": label, title: `${label} (double-click: 100%)` },
      on: {
        input: () => { levels[key] = Number(input.value); applyFilter(); },
        dblclick: () => { input.value = "100"; levels[key] = 100; applyFilter(); },
      },
    });
    return h("label", { class: "jl-image-level" }, [h("span", { text: label }), input]);
  };
  const levelTools = [
    node.attrs.brightnesscontrol === true ? slider("brightness", "Brightness") : null,
    node.attrs.contrastcontrol === true ? slider("contrast", "Contrast") : null,
  ].filter(Boolean);
  function applyFilter() {
    const filter = imageFilter(levels);
    if (imgEl) imgEl.style.filter = filter;
    if (filter) el.dataset.filter = filter;
    else delete el.dataset.filter;
  }
  const zoomTools = showButtons && zoomAllowed ? [tool("−", "Zoom out (-)", () => zoomBy(1 / 1.25)), zoomText,
    tool("+", "Zoom in (+)", () => zoomBy(1.25)), tool("Fit", "Fit the image (f)", () => fit())] : [];
  const helpEl = h("span", { class: "jl-image-help", text: help(["Drag to draw"]) });
  const pageText = h("span", { class: "jl-image-page", text: "" });
  const pager = h("span", { class: "jl-image-pager", hidden: true }, [
    tool("‹", "Previous image (Ctrl+←)", () => goToPage(page - 1)), pageText,
    tool("›", "Next image (Ctrl+→)", () => goToPage(page + 1)),
  ]);
  const turnTools = node.attrs.rotatecontrol === true ? [
    tool("⟲", "Turn the view 90° anticlockwise", () => turnView(-90)),
    tool("⟳", "Turn the view 90° clockwise", () => turnView(90)),
  ] : [];
  const tools = h("div", { class: "jl-image-tools" }, [pager, ...zoomTools, ...turnTools, ...levelTools, helpEl]);
  const el = h("div", { class: "jl-image", dataset: { name } }, [tools, viewport]);

  // -- state ---------------------------------------------------------------------------------
  let task = null;
  let state = null;
  let imgEl = null;
  let natural = null; // {width, height} of the shown image
  let view = { scale: 1, tx: 0, ty: 0 };
  let fitted = true; // follow the viewport's size while the user has not zoomed
  let gesture = null;
  let spaceDown = false;
  let loadSeq = 0;
  let activeTool = null;
  let picked = null; // {id, handle}: the point picked on the selected region (kinds with point handles)
  let page = 0; // the picture shown, on an image with pages (valueList)
  let turn = 0; // the view's turn (rotateControl), degrees clockwise: 0, 90, 180, 270
  const toolOptions = new Map(); // control name → its kind's options (a brush's size, eraser)

  function tools_() {
    // The controls that draw on this image, found by name once all components exist.
    const out = [];
    for (const [cname, control] of Object.entries(ctx.spec.controls || {})) {
      if (!(control.toName || []).includes(name)) continue;
      const component = ctx.component(cname);
      if (component && component.regionTool) out.push({ name: cname, tool: component.regionTool });
    }
    return out;
  }

  /** The help line: how the kinds drawn here draw (their `hint`), then what every kind shares. */
  function help(hints) {
    return [...hints, ...(zoomAllowed ? ["wheel zooms", "Space+drag pans"] : []), "arrows nudge", "Del removes"].join(" · ");
  }

  /** Whether a control's regions may be turned by hand (its kind turns, and canRotate). */
  function turns(tool) {
    return Boolean(tool.kind.rotate && tool.canRotate);
  }

  function currentTool() {
    const all = tools_();
    return all.find((t) => t.name === activeTool) || all[0] || null;
  }

  /** The options of a tool whose kind has them (a brush's size and eraser), else null. */
  function optionsOf(t) {
    if (!t || !t.tool.kind.options) return null;
    if (!toolOptions.has(t.name)) toolOptions.set(t.name, t.tool.kind.options(t.tool));
    return toolOptions.get(t.name);
  }

  /** The help line, with the current tool's options (tests read them off `data-tool-options`). */
  function showHelp() {
    const t = currentTool();
    const options = optionsOf(t);
    const hints = [...new Set(tools_().map((x) => x.tool.kind.hint || "Drag to draw"))];
    if (tools_().some((x) => turns(x.tool))) hints.push(", . turn");
    helpEl.textContent = help(options ? [t.tool.kind.optionText(options), ...hints] : hints);
    if (options) el.dataset.toolOptions = JSON.stringify(options);
    else delete el.dataset.toolOptions;
  }

  // -- layout ----------------------------------------------------------------------------------
  /** The size of the (turned) layer the picture and regions are laid out in. */
  function viewportSize() {
    return turnedSize(turn, viewport.clientWidth, viewport.clientHeight);
  }

  /** Turn the view a quarter turn (rotateControl): the picture is fitted again; no stored
   * number changes, the next results written record the turn (`image_rotation`), and at submit
   * every region here does (`stored`). */
  function turnView(deg) {
    if (!natural) return;
    turn = nextTurn(turn, deg);
    natural = { ...natural, rotation: turn };
    el.dataset.turn = String(turn);
    sizeViewport();
    fit();
  }

  function sizeViewport() {
    if (!natural) return;
    const width = el.clientWidth;
    if (!width) return;
    // As tall as the picture needs at the width it gets (never more than its own size), and
    // no taller than keeps the whole widget (palette, Submit) in the window.
    const root = el.closest(".jl-root");
    const around = root ? root.getBoundingClientRect().height - viewport.getBoundingClientRect().height : 0;
    const maxH = Math.max(160, Math.round(window.innerHeight - around - 24));
    const [nw, nh] = sideways(turn) ? [natural.height, natural.width] : [natural.width, natural.height];
    const shown = Math.min(1, width / nw) * nh;
    const border = viewport.offsetHeight - viewport.clientHeight; // the viewport is border-box
    const want = Math.max(120, Math.min(maxH, Math.round(shown) + border));
    if (viewport.style.height !== `${want}px`) viewport.style.height = `${want}px`;
  }

  function minScale() {
    const { vw, vh } = viewportSize();
    const f = fitScale(natural.width, natural.height, vw, vh);
    return node.attrs.negativezoom === true ? f / 4 : Math.min(f, 1);
  }

  function maxScale() {
    return Math.max(MAX_ZOOM_PX, minScale());
  }

  function fit() {
    if (!natural) return;
    const { vw, vh } = viewportSize();
    // Fit, but never enlarge a picture past its own pixels unless asked (+ zooms in).
    const scale = Math.min(1, fitScale(natural.width, natural.height, vw, vh));
    view = clampView({ scale, tx: 0, ty: 0 }, natural.width, natural.height, vw, vh);
    fitted = true;
    applyView();
  }

  function setView(next) {
    const { vw, vh } = viewportSize();
    view = clampView(next, natural.width, natural.height, vw, vh);
    fitted = false;
    applyView();
  }

  function zoomBy(factor, px, py) {
    if (!natural || !zoomAllowed) return;
    const { vw, vh } = viewportSize();
    const next = zoomAt(view, factor, px ?? vw / 2, py ?? vh / 2, minScale(), maxScale());
    setView(next);
  }

  function applyView() {
    stage.style.transform = `translate(${view.tx}px, ${view.ty}px) scale(${view.scale})`;
    const size = viewportSize();
    Object.assign(turnEl.style, { width: `${size.vw}px`, height: `${size.vh}px`,
      transform: turnTransform(turn, viewport.clientWidth, viewport.clientHeight) });
    if (gridEl && natural) {
      Object.assign(gridEl.style, { transform: stage.style.transform, width: `${natural.width}px`, height: `${natural.height}px` });
    }
    stage.classList.toggle("jl-pixelated", view.scale >= 3);
    zoomText.textContent = `${Math.round(view.scale * 100)}%`;
    el.dataset.scale = String(view.scale);
    drawRegions();
  }

  const observer = new ResizeObserver(() => {
    if (!natural) return;
    sizeViewport();
    if (fitted) fit();
    else setView(view);
  });
  observer.observe(el);
  observer.observe(viewport);

  // -- image -----------------------------------------------------------------------------------
  function showMessage(text, value) {
    // (replaceChildren would show a null as the text "null")
    messageEl.replaceChildren(h("strong", { text: "Image not shown: " }), h("span", { text }),
      ...(value ? [h("div", { class: "jl-image-value", text: value })] : []));
    messageEl.hidden = false;
  }

  // -- pages (valueList) -----------------------------------------------------------------------
  /** How many pictures the task has for this tag, or null when it shows one (no valueList). */
  function pageCount() {
    const pages = task && task.pages && task.pages[name];
    return Array.isArray(pages) ? pages.length : null;
  }

  function showPager() {
    const count = pageCount();
    pager.hidden = count === null;
    pageText.textContent = count === null ? "" : `${Math.min(page + 1, count)} / ${count}`;
    el.dataset.page = String(page);
    if (count === null) delete el.dataset.pages;
    else el.dataset.pages = String(count);
  }

  /** Show picture `i` (kept within the pages): a gesture under way and a selection on the page
   * left behind are dropped. */
  function goToPage(i) {
    const count = pageCount();
    if (count === null || !task) return;
    const next = Math.max(0, Math.min(count - 1, i));
    if (next === page) return;
    gesture = null;
    picked = null;
    if (findRegion(ctx.selectedRegion())) select(null);
    page = next;
    showPager();
    delete el.dataset.drawnPage;
    load(task);
  }

  function load(t) {
    const seq = ++loadSeq;
    messageEl.hidden = true;
    el.dataset.loading = "true";
    const source = sourceOf(t, name, page);
    const shown = page;
    cache.load(t, name, shown).then(({ img, width, height }) => {
      if (seq !== loadSeq) return;
      if (imgEl !== img) stage.replaceChildren(img);
      imgEl = img;
      img.classList.add("jl-image-img");
      applyFilter(); // the levels set stay on the next picture
      img.style.width = `${width}px`;
      img.style.height = `${height}px`;
      const sameSize = natural && natural.width === width && natural.height === height;
      natural = { width, height, rotation: turn };
      el.dataset.naturalWidth = String(width);
      el.dataset.naturalHeight = String(height);
      zoomTools.forEach((t) => { t.hidden = false; });
      turnTools.forEach((t) => { t.hidden = false; });
      sizeViewport();
      if (!sameSize || fitted) fit();
      else setView(view);
      delete el.dataset.loading;
      markDrawn(t.id);
      // the next pictures ready before they are asked for
      const count = pageCount();
      if (count !== null && shown + 1 < count) cache.load(t, name, shown + 1).catch(() => {});
    }).catch((err) => {
      if (seq !== loadSeq) return;
      stage.replaceChildren(img0);
      imgEl = null;
      natural = null;
      regionsEl.replaceChildren();
      delete el.dataset.loading;
      el.dataset.refused = "true";
      // no zoom to show for a picture that is not there
      zoomTools.forEach((x) => { x.hidden = true; });
      turnTools.forEach((x) => { x.hidden = true; });
      showMessage(err && err.message ? err.message : "the image could not be loaded",
        source && typeof (source.value ?? source.url) === "string" ? (source.value ?? source.url) : null);
      markDrawn(t.id);
      ctx.refreshButtons?.();
    });
  }

  function markDrawn(id) {
    // After the next frame the image and its boxes are on screen (tests and the benchmark wait
    // on this attribute).
    requestAnimationFrame(() => {
      if (task && task.id === id) {
        el.dataset.drawnPage = String(page);
        el.dataset.drawnTask = String(id);
        el.dataset.drawnAt = String(performance.now());
      }
    });
  }

  // -- regions ---------------------------------------------------------------------------------
  // The regions, read once per result: a drag redraws on every pointer move and relation
  // arrows ask where each region is (regionRects), neither of which changes the result. Results
  // are never changed in place (annotation.js), so a new result is a new array.
  // (The controls drawing here are part of the key: a list read before every component
  // existed is not kept.)
  let known = { state: null, result: null, tools: [], regions: [] };

  /** Every region of the controls drawing here, on every page (do not change the list). */
  function everyRegion() {
    if (!state) return [];
    const tools = tools_();
    if (known.state === state && known.result === state.result && known.tools.length === tools.length &&
      known.tools.every((t, i) => t.tool === tools[i].tool)) return known.regions;
    const out = [];
    for (const { name: control, tool } of tools) {
      for (const r of tool.regions(state)) out.push({ ...r, control, tool });
    }
    known = { state, result: state.result, tools, regions: out };
    return out;
  }

  /** The regions on the picture shown (on an image with pages, those of its page). */
  function allRegions() {
    const all = everyRegion();
    return pageCount() === null ? all : all.filter((r) => r.page === page);
  }

  /** The drawn region with this id (the selection is a region id), or null. */
  function findRegion(id) {
    if (id == null) return null;
    return allRegions().find((r) => r.id === id) || null;
  }

  // Each region's element, kept by control and id with what it was drawn from: a region is
  // drawn again only when its shape, look, selection or the view changed, so dragging one point
  // of one polygon among hundreds redraws that polygon alone. Where only its shape or the view
  // changed, a kind that can (`redraw`) moves its element in place rather than making another.
  let drawn = new Map(); // key → {el, how, r}: r as drawn (a shape being dragged, its preview)
  const regionKey = (control, id) => `${control}\u0000${id}`;

  function drawRegions() {
    if (!natural || !state) {
      regionsEl.replaceChildren();
      drawn = new Map();
      return;
    }
    const regions = allRegions().slice();
    if (gesture && gesture.preview) {
      const i = regions.findIndex((r) => r.control === gesture.control && r.id === gesture.id);
      if (i >= 0) regions[i] = { ...regions[i], shape: gesture.preview };
      else regions.push({ shape: gesture.preview, id: DRAFT, control: gesture.control, tool: gesture.tool, label: gesture.label, color: gesture.color, ink: gesture.ink });
    }
    const port = viewportSize();
    const viewKey = [view.scale, view.tx, view.ty, natural.width, natural.height, port.vw, port.vh, turn].join();
    const next = new Map();
    const els = regions.map((r) => {
      const key = regionKey(r.control, r.id);
      const how = howDrawn(r, viewKey);
      const old = drawn.get(key);
      let out;
      if (old && sameHow(old.how, how, true)) out = old.el;
      else if (old && sameHow(old.how, how, false) && r.tool.kind.redraw && r.tool.kind.redraw(old.el, r.shape, renderHow(how, port))) out = old.el;
      else out = drawRegion(r, how, port);
      next.set(key, { el: out, how, r });
      return out;
    });
    drawn = next;
    placeChildren(regionsEl, els);
    el.dataset.regions = String(regions.filter((r) => r.id !== DRAFT).length);
  }

  /** What a region's drawing depends on: its shape, the view (`viewKey`), and how it looks. */
  function howDrawn(r, viewKey) {
    const draft = r.id === DRAFT;
    return {
      shape: r.shape, view: viewKey, draft, selected: !draft && r.id === ctx.selectedRegion(),
      label: r.label, color: r.color, ink: r.ink, style: draft ? DRAFT_STYLE : r.tool.style,
      handle: picked && picked.id === r.id ? picked.handle : null,
      rotatable: !draft && turns(r.tool),
    };
  }

  /** Whether two drawings are alike: in everything, or (`whole` false) but shape and view. */
  function sameHow(a, b, whole) {
    for (const k of Object.keys(b)) if (a[k] !== b[k] && (whole || (k !== "shape" && k !== "view"))) return false;
    return true;
  }

  /** What a kind's `render` / `redraw` is told (`port`: the viewport's size, read once per
   * drawing, since reading it after an element moved would lay the page out again). */
  function renderHow(how, port) {
    return {
      view, W: natural.width, H: natural.height, selected: how.selected, draft: how.draft,
      viewport: port,
      look: { label: how.label, color: how.color, ink: how.ink }, style: how.style,
      handle: how.handle, rotatable: how.rotatable,
    };
  }

  function drawRegion(r, how, port) {
    const out = r.tool.kind.render(r.shape, renderHow(how, port));
    Object.assign(out.dataset, { id: r.id, control: r.control, region: r.tool.kind.name });
    return out;
  }

  function select(id) {
    ctx.selectRegion(id); // the app tells every component, this one included (onSelection)
  }

  // -- pointer gestures ------------------------------------------------------------------------
  function screenPoint(event) {
    // Relative to the viewport's padding box, where the stage and the regions are placed (its
    // border would otherwise shift every point by the border's width).
    const rect = viewport.getBoundingClientRect();
    return { x: event.clientX - rect.left - viewport.clientLeft, y: event.clientY - rect.top - viewport.clientTop };
  }

  /** The pointer in the (turned) layer's own frame, where the view's numbers apply. */
  function local(event) {
    const p = screenPoint(event);
    return unturnPoint(turn, viewport.clientWidth, viewport.clientHeight, p.x, p.y);
  }

  /** The region under the pointer: the element it pressed, else the topmost shape its kind says
   * the point lies on. */
  function regionAt(target, q) {
    const drawn = target && target.closest("[data-region]");
    const regions = allRegions();
    if (drawn) return regions.find((x) => x.control === drawn.dataset.control && x.id === drawn.dataset.id) || null;
    for (let i = regions.length - 1; i >= 0; i--) {
      if (regions[i].tool.kind.hitTest(regions[i].shape, q, natural.width, natural.height)) return regions[i];
    }
    return null;
  }

  function capture(event) {
    event.preventDefault();
    viewport.setPointerCapture(event.pointerId);
    // preventDefault keeps the browser from moving focus; the widget needs it for the keys.
    const root = el.closest(".jl-root");
    if (root && !root.contains(document.activeElement)) root.focus({ preventScroll: true });
  }

  function onPointerDown(event) {
    if (!natural || !state) return;
    const p = local(event);
    if (gesture && gesture.kind === "draw" && gesture.pending && event.button === 0) {
      // the next point of a shape drawn point by point
      gesture = { ...gesture, pending: false, start: p, moved: false };
      capture(event);
      return;
    }
    if (gesture) return;
    const target = event.target instanceof Element ? event.target : null;
    const q = screenToImage(view, p.x, p.y);
    const painter = currentTool();
    if (event.button === 0 && !spaceDown && painter && painter.tool.kind.paints) {
      startPaint(event, painter, p, q);
      return;
    }
    const hit = event.button === 0 && !spaceDown ? regionAt(target, q) : null;
    if (!zoomAllowed && (event.button === 1 || (event.button === 0 && spaceDown))) return; // nothing to pan
    if (event.button === 1 || (event.button === 0 && spaceDown)) {
      gesture = { kind: "pan", start: p, view: { ...view } };
    } else if (event.button !== 0) {
      return;
    } else if (target && target.dataset.handle && ctx.selectedRegion() != null) {
      const r = findRegion(ctx.selectedRegion());
      if (!r) return;
      if (target.dataset.handle === "rotate") {
        // a turn about the centre, by the change of the pointer's direction from it
        const centre = r.tool.kind.centre(r.shape, natural.width, natural.height);
        gesture = { kind: "rotate", control: r.control, id: r.id, tool: r.tool, start: p, shape: r.shape, centre, from: pointerAngle(centre, q) };
      } else {
        gesture = { kind: "resize", handle: target.dataset.handle, control: r.control, id: r.id, tool: r.tool, start: p, shape: r.shape };
      }
    } else if (hit) {
      const r = hit;
      picked = null;
      select(r.id);
      gesture = { kind: "move", control: r.control, id: r.id, tool: r.tool, start: p, shape: r.shape };
    } else {
      const t = currentTool();
      if (!t || q.x < 0 || q.y < 0 || q.x > natural.width || q.y > natural.height) {
        select(null);
        return;
      }
      const look = t.tool.drawing();
      if (!look) { // the control has no label to draw with
        ctx.notice("Pick a label first (its key or a click)");
        return;
      }
      gesture = { kind: "draw", control: t.name, tool: t.tool, start: p, draft: t.tool.kind.draw.start(q, natural.width, natural.height), ...look };
    }
    capture(event);
  }

  /** A stroke of a kind that paints: onto the selected region of this control, else a new one. */
  function startPaint(event, t, p, q) {
    if (q.x < 0 || q.y < 0 || q.x > natural.width || q.y > natural.height) {
      select(null);
      return;
    }
    const selected = findRegion(ctx.selectedRegion());
    const base = selected && selected.control === t.name ? selected : null;
    const options = optionsOf(t);
    const look = base || t.tool.drawing();
    if (!look) {
      ctx.notice("Pick a label first (its key or a click)");
      return;
    }
    if (options.erase && !base) {
      ctx.notice("Select a mask to erase from (click it, with the eraser off)");
      return;
    }
    const kind = t.tool.kind;
    const stroke = kind.paint.start(q, natural.width, natural.height, { ...options, base: base && base.shape, color: look.color });
    gesture = {
      kind: "paint", control: t.name, tool: t.tool, id: base ? base.id : null, start: p, q, stroke,
      preview: kind.paint.shape(stroke), label: look.label, color: look.color, ink: look.ink,
    };
    capture(event);
    drawRegions(); // once: the stroke's canvas is in place, and updates itself as it paints
  }

  /** End a stroke: a click on another region selects it; else the stroke is stored (one undo step). */
  function endPaint(g, q) {
    const kind = g.tool.kind;
    const shape = kind.paint.end(g.stroke);
    const hit = !g.moved ? regionAt(null, q) : null;
    if (hit && hit.id !== g.id) {
      select(hit.id);
    } else if (shape && g.id && shape.empty) {
      select(null);
      state.remove(g.id); // erased to nothing
    } else if (shape && g.id) {
      g.tool.update(state, g.id, shape, natural);
    } else if (shape && !shape.empty) {
      createDrawn(g, shape);
    }
    drawRegions();
  }

  function showPointerLabel(p) {
    const t = natural ? currentTool() : null;
    const options = t && t.tool.kind.paints ? optionsOf(t) : null;
    brushRing.hidden = !options;
    if (options) {
      const d = options.size * view.scale;
      Object.assign(brushRing.style, { width: `${d}px`, height: `${d}px`, transform: `translate(${p.x - d / 2}px, ${p.y - d / 2}px)` });
      brushRing.classList.toggle("jl-brush-ring-erase", Boolean(options.erase));
    }
    if (!t || (gesture && gesture.kind !== "draw")) {
      pointerLabel.hidden = true;
      return;
    }
    const look = t.tool.drawing();
    pointerLabel.textContent = look ? (look.label || t.name) : "Pick a label first";
    pointerLabel.style.background = look ? look.color : "";
    pointerLabel.style.color = look ? look.ink : "";
    pointerLabel.style.transform = `translate(${Math.round(p.x + 14)}px, ${Math.round(p.y + 16)}px)`;
    pointerLabel.hidden = false;
  }

  function showCrosshair(p) {
    if (!crossX) return;
    crossX.hidden = !natural;
    crossY.hidden = !natural;
    crossX.style.transform = `translateY(${Math.round(p.y)}px)`;
    crossY.style.transform = `translateX(${Math.round(p.x)}px)`;
  }

  function onPointerMove(event) {
    if (event.pointerType !== "touch") showPointerLabel(screenPoint(event));
    showCrosshair(screenPoint(event));
    if (!gesture) return;
    const p = local(event);
    const W = natural.width;
    const H = natural.height;
    if (gesture.kind === "pan") {
      setView({ ...gesture.view, tx: gesture.view.tx + p.x - gesture.start.x, ty: gesture.view.ty + p.y - gesture.start.y });
      return;
    }
    const kind = gesture.tool.kind;
    if (gesture.kind === "paint") {
      // no redraw of the regions: the stroke's canvas follows on the next animation frame
      gesture.moved = gesture.moved || Math.hypot(p.x - gesture.start.x, p.y - gesture.start.y) >= MIN_DRAG;
      for (const e of event.getCoalescedEvents ? event.getCoalescedEvents() : [event]) {
        const c = local(e);
        kind.paint.move(gesture.stroke, screenToImage(view, c.x, c.y));
      }
      gesture.q = screenToImage(view, p.x, p.y);
      return;
    }
    if (gesture.kind === "draw" && gesture.pending) {
      // between the points of a shape drawn point by point: the next edge follows the pointer
      gesture.draft = kind.draw.move(gesture.draft, screenToImage(view, p.x, p.y), W, H);
      gesture.preview = gesture.draft.shape;
      drawRegions();
      return;
    }
    gesture.moved = gesture.moved || Math.hypot(p.x - gesture.start.x, p.y - gesture.start.y) >= MIN_DRAG;
    if (!gesture.moved) return;
    const dx = ((p.x - gesture.start.x) / view.scale / W) * 100;
    const dy = ((p.y - gesture.start.y) / view.scale / H) * 100;
    if (gesture.kind === "draw") {
      gesture.draft = kind.draw.move(gesture.draft, screenToImage(view, p.x, p.y), W, H);
      gesture.preview = gesture.draft.shape;
    } else if (gesture.kind === "move") {
      gesture.preview = kind.move(gesture.shape, dx, dy, W, H);
    } else if (gesture.kind === "resize") {
      gesture.preview = kind.resize(gesture.shape, gesture.handle, dx, dy, W, H);
    } else if (gesture.kind === "rotate") {
      let deg = turnBetween(gesture.from, pointerAngle(gesture.centre, screenToImage(view, p.x, p.y)));
      if (event.shiftKey) deg = turnBetween(gesture.shape.rotation || 0, snapDegrees((gesture.shape.rotation || 0) + deg, TURN_SNAP));
      // a turn that would take the region off the image is refused: the last one allowed stays
      gesture.preview = kind.rotate(gesture.shape, deg, W, H) || gesture.preview;
    }
    drawRegions();
  }

  /** Store a drawn shape: the new region is selected and its control draws the next one. */
  function createDrawn(g, shape) {
    const id = g.tool.create(state, shape, natural, pageCount() === null ? null : page);
    if (!id) return false;
    activeTool = g.control;
    select(id);
    return true;
  }

  function onPointerUp(event) {
    if (!gesture || gesture.pending) return;
    const g = gesture;
    gesture = null;
    if (viewport.hasPointerCapture(event.pointerId)) viewport.releasePointerCapture(event.pointerId);
    const kind = g.tool ? g.tool.kind : null;
    if (g.kind === "paint") {
      const p = local(event);
      endPaint(g, screenToImage(view, p.x, p.y));
      return;
    }
    if (g.kind === "draw") {
      const p = local(event);
      const outcome = kind.draw.end(g.draft, screenToImage(view, p.x, p.y), natural.width, natural.height, Boolean(g.moved), view.scale);
      if (outcome && outcome.draft) {
        gesture = { ...g, draft: outcome.draft, preview: outcome.draft.shape, pending: true };
        drawRegions();
        return;
      }
      if (!outcome) {
        select(null);
        return;
      }
      if (createDrawn(g, outcome.shape)) return;
    } else if ((g.kind === "move" || g.kind === "resize" || g.kind === "rotate") && g.moved && g.preview && g.preview !== g.shape) {
      if (kind.valid(g.preview)) g.tool.update(state, g.id, g.preview, natural); // one undo step
    } else if (g.kind === "resize" && kind.handleAfter && kind.handleAfter(g.handle) !== g.handle) {
      // a click on a handle that adds a point (a polygon's edge middle): the point goes there
      const next = kind.resize(g.shape, g.handle, 0, 0, natural.width, natural.height);
      if (kind.valid(next)) g.tool.update(state, g.id, next, natural);
    }
    if (g.kind === "resize" && kind.handleAfter) picked = { id: g.id, handle: kind.handleAfter(g.handle) };
    drawRegions();
  }

  function onWheel(event) {
    if (!natural || !zoomAllowed) return;
    const root = el.closest(".jl-root");
    const focused = root && root.contains(document.activeElement);
    if (!focused && !event.ctrlKey && !event.metaKey) return; // let the notebook scroll
    event.preventDefault();
    const p = local(event);
    const delta = event.deltaMode === 1 ? event.deltaY * 16 : event.deltaY;
    zoomBy(Math.exp(-delta * 0.0015), p.x, p.y);
  }

  viewport.addEventListener("pointerdown", onPointerDown);
  viewport.addEventListener("pointermove", onPointerMove);
  viewport.addEventListener("pointerup", onPointerUp);
  viewport.addEventListener("pointercancel", onPointerUp);
  viewport.addEventListener("pointerleave", () => {
    pointerLabel.hidden = true;
    brushRing.hidden = true;
    if (crossX) { crossX.hidden = true; crossY.hidden = true; }
  });
  viewport.addEventListener("wheel", onWheel, { passive: false });
  viewport.addEventListener("auxclick", (e) => e.preventDefault());
  const onKeyUp = (event) => {
    if (event.key === " ") spaceDown = false;
  };
  const onBlur = () => { spaceDown = false; };
  window.addEventListener("keyup", onKeyUp, true);
  window.addEventListener("blur", onBlur);

  // -- keys ------------------------------------------------------------------------------------
  function nudge(key) {
    const r = findRegion(ctx.selectedRegion());
    if (!r || !natural) return;
    const kind = r.tool.kind;
    const fine = key.includes("shift") ? 10 : 1;
    // One image pixel, or one screen pixel when zoomed out so far that a pixel would not show.
    const stepX = (Math.max(1, 1 / view.scale) * fine * 100) / natural.width;
    const stepY = (Math.max(1, 1 / view.scale) * fine * 100) / natural.height;
    const dir = key.split("+").pop();
    const dx = dir === "arrowleft" ? -stepX : dir === "arrowright" ? stepX : 0;
    const dy = dir === "arrowup" ? -stepY : dir === "arrowdown" ? stepY : 0;
    const handle = picked && picked.id === r.id ? picked.handle : null;
    const W = natural.width;
    const H = natural.height;
    const next = handle ? kind.resize(r.shape, handle, dx, dy, W, H)
      : key.includes("alt") && kind.grow ? kind.grow(r.shape, dx, dy, W, H) : kind.move(r.shape, dx, dy, W, H);
    if (next !== r.shape && kind.valid(next)) r.tool.update(state, r.id, next, natural); // a mask does not move
  }

  /** Turn the selected region by `deg` degrees (one undo step); false when none that turns is
   * selected (the key then goes on). */
  function turnSelected(deg) {
    const r = findRegion(ctx.selectedRegion());
    if (!r || !natural || !turns(r.tool)) return false;
    const next = r.tool.kind.rotate(r.shape, deg, natural.width, natural.height);
    if (!next) ctx.notice(`Turning it ${Math.abs(deg)}° more would take it off the image`);
    else r.tool.update(state, r.id, next, natural);
    return true;
  }

  /** Delete with a point picked: the point goes, not the region (a kind may refuse, saying why).
   * Escape lets go of the point first. */
  function pickedKey(key) {
    const r = picked ? findRegion(ctx.selectedRegion()) : null;
    if (!r || r.id !== picked.id) return false;
    if (key === "escape") {
      picked = null;
      drawRegions();
      return true;
    }
    if ((key === "delete" || key === "backspace") && r.tool.kind.removeHandle) {
      const next = r.tool.kind.removeHandle(r.shape, picked.handle);
      if (typeof next === "string") {
        ctx.notice(next);
      } else if (next && r.tool.kind.valid(next)) {
        picked = null;
        r.tool.update(state, r.id, next, natural);
      }
      return true;
    }
    return false;
  }

  /** Keys for a shape drawn point by point: Enter ends it, Escape drops it, Backspace takes back
   * its last point. */
  function draftKey(key) {
    if (!gesture || !gesture.pending) return false;
    const g = gesture;
    if (key === "escape") {
      gesture = null;
      drawRegions();
      return true;
    }
    if ((key === "backspace" || key === "delete") && g.tool.kind.draw.back) {
      // take back the last point; with none left, the draft goes
      const draft = g.tool.kind.draw.back(g.draft);
      gesture = draft ? { ...g, draft, preview: draft.shape } : null;
      drawRegions();
      return true;
    }
    if (key === "enter") {
      const shape = g.tool.kind.draw.finish ? g.tool.kind.draw.finish(g.draft) : null;
      gesture = null;
      if (!shape || !createDrawn(g, shape)) drawRegions();
      return true;
    }
    return false;
  }

  /** A region by keyboard (n, as in CVAT): a quarter of the image at its middle, with the
   * picked label, selected, so arrows move it and Alt+arrows resize it. */
  function newRegion() {
    const t = currentTool();
    if (!t || !natural || !state) return;
    if (!t.tool.drawing()) {
      ctx.notice("Pick a label first (its key or a click)");
      return;
    }
    const W = natural.width;
    const H = natural.height;
    const draw = t.tool.kind.draw;
    let shape = draw.made ? draw.made(W, H) : null;
    if (!shape) {
      const draft = draw.move(draw.start({ x: W * 0.375, y: H * 0.375 }, W, H), { x: W * 0.625, y: H * 0.625 }, W, H);
      const outcome = draw.end(draft, { x: W * 0.625, y: H * 0.625 }, W, H, true, view.scale);
      shape = outcome && !outcome.draft ? outcome.shape : draw.finish ? draw.finish(draft) : null;
    }
    if (shape) createDrawn({ tool: t.tool, control: t.name }, shape);
  }

  function onKey(key, event) {
    if (!task) return false;
    if (draftKey(key)) return true;
    if (pickedKey(key)) return true;
    const configured = ctx.spec.hotkeys && ctx.spec.hotkeys[key];
    if (key === "space" || (event && event.key === " " && !key.includes("ctrl"))) {
      spaceDown = true; // held for panning
      return true;
    }
    if (findRegion(ctx.selectedRegion())) {
      const dir = key.split("+").pop();
      if (["arrowleft", "arrowright", "arrowup", "arrowdown"].includes(dir) && !key.includes("ctrl") && !key.includes("meta")) {
        nudge(key);
        return true;
      }
    }
    if (configured) return false; // the config's own hotkeys win over the zoom keys
    if (key in TURN_KEYS && turnSelected(TURN_KEYS[key])) return true;
    if (pageCount() !== null && (key === "ctrl+arrowleft" || key === "meta+arrowleft")) {
      goToPage(page - 1);
      return true;
    }
    if (pageCount() !== null && (key === "ctrl+arrowright" || key === "meta+arrowright")) {
      goToPage(page + 1);
      return true;
    }
    const t = currentTool();
    const options = optionsOf(t);
    const changed = options && t.tool.kind.optionKey(key, options);
    if (changed) {
      toolOptions.set(t.name, changed);
      showHelp();
      return true;
    }
    if (key === "n") {
      newRegion();
      return true;
    }
    if (!zoomAllowed) return false; // zoom="false": the zoom keys are the notebook's
    if (key === "+" || key === "=" || key === "shift++") {
      zoomBy(1.25);
      return true;
    }
    if (key === "-" || key === "_") {
      zoomBy(1 / 1.25);
      return true;
    }
    if (key === "f") {
      fit();
      return true;
    }
    return false;
  }

  return {
    el,
    name,
    show(t, s) {
      const changed = !task || task.id !== t.id;
      task = t;
      state = s;
      if (changed) {
        gesture = null;
        picked = null;
        page = 0;
        turn = 0; // a new task's picture is shown upright, as Label Studio does
        delete el.dataset.turn;
        showPager();
        delete el.dataset.drawnPage;
        showHelp();
        delete el.dataset.drawnTask;
        delete el.dataset.refused;
        zoomTools.forEach((x) => { x.hidden = false; });
        el.dataset.selected = ""; // a new task starts with nothing selected
        el.dataset.taskId = String(t.id);
        load(t);
      }
      drawRegions();
    },
    update(s) {
      state = s;
      drawRegions();
    },
    prefetch(t) {
      if (t.media && t.media[name] && t.media[name].kind !== "refused") cache.load(t, name).catch(() => {});
    },
    onKey,
    /** Where the region with this id is on screen (see tags/relations.js). */
    regionRects(id) {
      let entry = null;
      if (natural) for (const e of drawn.values()) if (e.r.id === id) { entry = e; break; }
      if (!entry || !entry.el.isConnected) return [];
      const { r, el: shown } = entry;
      // A kind that knows its extent (a polygon's points, a mask's painted pixels) says so: its
      // element is a wrapper of no size. Else the element is the region (a box, an ellipse).
      const bounds = r.tool.kind.bounds ? r.tool.kind.bounds(r.shape, natural.width, natural.height) : null;
      if (!bounds) return [shown.getBoundingClientRect()];
      const port = viewport.getBoundingClientRect();
      const a = imageToScreen(view, bounds.x, bounds.y);
      const b = imageToScreen(view, bounds.x + bounds.width, bounds.y + bounds.height);
      // through the view's turn: the two corners trade places, the rectangle stays one
      const [p, q] = [a, b].map((c) => turnPoint(turn, viewport.clientWidth, viewport.clientHeight, c.x, c.y));
      return [new DOMRect(port.left + viewport.clientLeft + Math.min(p.x, q.x), port.top + viewport.clientTop + Math.min(p.y, q.y),
        Math.abs(q.x - p.x), Math.abs(q.y - p.y))];
    },
    /** A result being submitted for the task shown: with rotateControl, every region on this
     * image records the view's turn as its `image_rotation`, touched or not, as Label Studio
     * writes each region's image's rotation at every save (its createSerializedResult). The
     * turn is one for all pages; a picture never drawn changes nothing (Label Studio keeps such a
     * region's result as it came). */
    stored(result, t) {
      if (node.attrs.rotatecontrol !== true || !task || !t || t.id !== task.id || !natural || !state) return result;
      if (el.dataset.drawnTask !== String(task.id) || el.dataset.refused === "true") return result;
      const ids = new Set(everyRegion().map((r) => r.id));
      return result.map((r) => (r && r.to_name === name && ids.has(r.id) && r.image_rotation !== turn ? { ...r, image_rotation: turn } : r));
    },
    /** The task's picture could not be shown (nothing on it can be labeled). */
    missing: () => el.dataset.refused === "true",
    onSelection(id) {
      if (picked && picked.id !== id) picked = null;
      // a region on another page (picked from a list, a relation): its page is shown
      const elsewhere = pageCount() !== null && id != null ? everyRegion().find((r) => r.id === id) : null;
      if (elsewhere && elsewhere.page !== page) {
        page = elsewhere.page;
        showPager();
        delete el.dataset.drawnPage;
        if (task) load(task);
      }
      el.dataset.selected = findRegion(id) ? id : "";
      drawRegions();
    },
    /** A control's label was picked: the tool it names draws the next box. */
    activate(controlName) {
      const t = tools_().find((x) => x.name === controlName || x.tool.namedBy?.() === controlName);
      if (t) activeTool = t.name;
      showHelp();
    },
    destroy() {
      observer.disconnect();
      window.removeEventListener("keyup", onKeyUp, true);
      window.removeEventListener("blur", onBlur);
      cache.clear();
    },
  };
}
