// The `regionTool` through which an <Image> draws a control's regions and reports gestures
// (see tags/image.js), for any region kind: the tool writes the results, the Image owns the view,
// the kind (rectangle.js, …) knows the shape. The labels come from a palette (labeling.js): the
// control's own (RectangleLabels), the <Labels> paired with it on the image (Rectangle + Labels),
// or none. Every gesture is one `state.commit`, so one undo step.
//
// Results are Label Studio's: geometry in percent, the image's natural size in
// original_width/original_height on every item, image_rotation the view's turn when written
// (0 unless an Image's rotateControl turned it; the geometry is in the unturned frame). A shape named by a paired
// <Labels> is two results with one region id: the tool's (geometry) and `labels` (geometry and
// labels); a move or resize changes both. On an image with pages (valueList) every result of a
// region also carries the page it is on, `item_index`, after image_rotation (Label Studio's
// createSerializedResult), and regions are listed with their `page` (no item_index: page 0).
import { editedOrigin, regionId } from "../annotation.js";
import { inkOn, parseColor, rgba } from "../colors.js";

const DEFAULT_STROKE = "#f48a42"; // Label Studio's strokeColor default

const num = (v, d) => (typeof v === "number" && Number.isFinite(v) ? v : d);
const list = (v) => (Array.isArray(v) ? v : []);

/** The `labels` result with which a <Labels> control names the region `item` of kind `kind`
 * (same id, geometry, image size), as Label Studio writes it. */
export function labelsItem(kind, item, fromName, labels) {
  return {
    id: item.id, from_name: fromName, to_name: item.to_name, type: "labels", origin: item.origin || "manual",
    original_width: item.original_width, original_height: item.original_height, image_rotation: item.image_rotation || 0,
    ...(item.item_index !== undefined ? { item_index: item.item_index } : {}),
    value: { ...kind.write(kind.read(item.value)), labels },
  };
}

/**
 * @param {any} node the control's spec node
 * @param {any} ctx the app's component context
 * @param {any} kind the region kind it draws (regions/index.js)
 * @param {{type: string, valueKey: string|null, namer: () => any}} how
 *   `type`: the result type; `valueKey`: where the result keeps its labels (null: in a paired
 *   <Labels> result); `namer()`: the labeling control whose palette names the regions, or null.
 */
export function regionTool(node, ctx, kind, { type, valueKey, namer }) {
  const name = String(node.attrs.name);
  const toName = String((node.attrs.toname || [])[0]);
  const stroke = parseColor(node.attrs.strokecolor) || parseColor(DEFAULT_STROKE);
  const opacity = num(node.attrs.opacity, 0.6);
  const style = {
    strokeWidth: Math.max(1, num(node.attrs.strokewidth, 1) + 1), // a 1px outline is hard to see on photos
    fillOpacity: num(node.attrs.fillopacity, opacity / 3),
    // how a kind with point handles draws them (Label Studio's pointStyle, pointSize)
    pointStyle: node.attrs.pointstyle === "rectangle" ? "rectangle" : "circle",
    pointSize: ["small", "medium", "large"].includes(node.attrs.pointsize) ? node.attrs.pointsize : "small",
  };

  // A result item's shape, read once: items are never changed in place (annotation.js), so a
  // region nobody touched keeps its shape object from one change to the next, and the Image
  // keeps its drawing (tags/image.js redraws a region whose shape is another object).
  const shapes = new WeakMap();
  const shapeOf = (item) => {
    if (!shapes.has(item)) shapes.set(item, kind.read(item.value));
    return shapes.get(item);
  };

  const snapping = node.attrs.snap === "pixel" && kind.snap;
  /** The value fields of a shape on an image of natural `size`, snapped when the control asks. */
  const geometryOf = (shape, size) => kind.write(snapping && size ? kind.snap(shape, size.width, size.height) : shape);

  // A region's labels: its own, else (Rectangle + Labels) those of the paired result with its
  // id, else Label Studio's merged form (`value.labels` on the tool's result).
  function labelsOf(item, paired) {
    if (valueKey) return list(item.value[valueKey]);
    const named = paired && paired.get(item.id);
    return named ? list(named.value.labels) : list(item.value.labels);
  }

  // label: the names shown on the region; color: its outline and fill; ink: the name's colour
  function look(labels) {
    const named = namer();
    const drawn = named && labels.length ? named.palette.look(labels) : null;
    const color = (drawn && drawn.color) || stroke;
    return { label: drawn ? drawn.label : labels.join(", "), color: rgba(color), ink: inkOn(color) };
  }

  return {
    kind,
    style,
    /** Its regions may be turned by hand (Label Studio's canRotate, on by default). */
    canRotate: node.attrs.canrotate !== false,
    /** The name of the control whose palette picks the labels of new regions. */
    namedBy: () => namer()?.name ?? null,
    /** The label and colour of a region about to be drawn, or null when it cannot be (no label picked). */
    drawing() {
      const named = namer();
      const labels = named ? named.palette.active() : [];
      if (named && named.palette.size && !labels.length) return null;
      return look(labels);
    },
    /** [{id, shape, label, color, ink, page}] of this control's regions on its image. */
    regions(s) {
      const named = namer();
      const paired = !valueKey && named ? new Map(s.items(named.name).filter((r) => r.to_name === toName).map((r) => [r.id, r])) : null;
      const out = [];
      for (const r of s.items(name)) {
        const shape = r.to_name === toName ? shapeOf(r) : null;
        if (shape) out.push({ id: r.id, shape, ...look(labelsOf(r, paired)), page: Number.isInteger(r.item_index) ? r.item_index : 0 });
      }
      return out;
    },
    /** A new region (a shape in percent) on an image of natural `size`: its region id, or null
     * when the labels' limits refuse it. `page`: the page it is drawn on, on an image with
     * pages (null on one without). */
    create(s, shape, size, page = null) {
      const named = namer();
      const labels = named ? named.palette.active() : [];
      if (named && labels.length) {
        const why = named.palette.refusal(named.regions(), labels);
        if (why) {
          ctx.notice(why);
          return null;
        }
      }
      const geometry = geometryOf(kind.defaults ? { ...kind.defaults(node.attrs), ...shape } : shape, size);
      const item = {
        id: regionId(), from_name: name, to_name: toName, type, origin: "manual",
        original_width: size.width, original_height: size.height, image_rotation: size.rotation || 0,
        ...(page !== null ? { item_index: page } : {}),
        value: valueKey ? { ...geometry, [valueKey]: labels } : geometry,
      };
      const items = [item];
      if (!valueKey && named && labels.length) items.push(labelsItem(kind, item, named.name, labels));
      s.commit(s.result.concat(items));
      return item.id;
    },
    /** Move or resize a region: every result of its id on this image takes the new geometry. */
    update(s, id, shape, size) {
      const geometry = geometryOf(shape, size);
      s.commit(s.result.map((r) => (r.id === id && r.to_name === toName && kind.holds(r.value) ? {
        ...r,
        ...(size ? { original_width: size.width, original_height: size.height } : {}),
        // the view's turn when written (rotateControl), as Label Studio records it
        ...(size && (size.rotation || "image_rotation" in r) ? { image_rotation: size.rotation || 0 } : {}),
        origin: editedOrigin(r.origin),
        value: { ...r.value, ...geometry },
      } : r)));
    },
  };
}
