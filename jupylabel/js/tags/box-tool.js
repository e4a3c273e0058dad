// The `regionTool` through which an <Image> draws a control's boxes and reports gestures
// (see image.js), shared by <RectangleLabels> and <Rectangle>. The tool writes the results; the
// Image owns the view; the labels come from a palette (labeling.js): the control's own
// (RectangleLabels), the <Labels> paired with it on the image (Rectangle + Labels), or none.
// Every gesture is one `state.commit`, so one undo step.
//
// Results are Label Studio's: geometry in percent, the image's natural size in
// original_width/original_height on every item, image_rotation 0. A box named by a paired
// <Labels> is two results with one region id: `rectangle` (geometry) and `labels` (geometry
// and labels); a move or resize changes both.
import { editedOrigin, regionId } from "../annotation.js";
import { inkOn, parseColor, rgba } from "../colors.js";

const DEFAULT_STROKE = "#f48a42"; // Label Studio's strokeColor default
const GEOMETRY = ["x", "y", "width", "height"];

const num = (v, d) => (typeof v === "number" && Number.isFinite(v) ? v : d);
const list = (v) => (Array.isArray(v) ? v : []);
const hasGeometry = (r) => Boolean(r.value) && GEOMETRY.every((k) => typeof r.value[k] === "number");

/** The `labels` result with which a <Labels> control names the box `box` (same id, geometry,
 * image size), as Label Studio writes it. */
export function labelsItem(box, fromName, labels) {
  const { x, y, width, height, rotation = 0 } = box.value;
  return {
    id: box.id, from_name: fromName, to_name: box.to_name, type: "labels", origin: box.origin || "manual",
    original_width: box.original_width, original_height: box.original_height, image_rotation: box.image_rotation || 0,
    value: { x, y, width, height, rotation, labels },
  };
}

/**
 * @param {any} node the control's spec node
 * @param {any} ctx the app's component context
 * @param {{type: string, valueKey: string|null, namer: () => any}} how
 *   `type`: the result type; `valueKey`: where the result keeps its labels (null: in a paired
 *   <Labels> result); `namer()`: the labeling control whose palette names the boxes, or null.
 */
export function boxTool(node, ctx, { type, valueKey, namer }) {
  const name = String(node.attrs.name);
  const toName = String((node.attrs.toname || [])[0]);
  const stroke = parseColor(node.attrs.strokecolor) || parseColor(DEFAULT_STROKE);
  const opacity = num(node.attrs.opacity, 0.6);
  const style = {
    strokeWidth: Math.max(1, num(node.attrs.strokewidth, 1) + 1), // a 1px outline is hard to see on photos
    fillOpacity: num(node.attrs.fillopacity, opacity / 3),
  };

  // A box's labels: its own, else (Rectangle + Labels) those of the paired result with its id,
  // else Label Studio's merged form (`value.labels` on the rectangle).
  function labelsOf(box, paired) {
    if (valueKey) return list(box.value[valueKey]);
    const named = paired && paired.get(box.id);
    return named ? list(named.value.labels) : list(box.value.labels);
  }

  // label: the names shown on the box; color: its outline and fill; ink: the name's colour
  function look(labels) {
    const named = namer();
    const drawn = named && labels.length ? named.palette.look(labels) : null;
    const color = (drawn && drawn.color) || stroke;
    return { label: drawn ? drawn.label : labels.join(", "), color: rgba(color), ink: inkOn(color) };
  }

  return {
    style,
    /** The name of the control whose palette picks the labels of new boxes. */
    namedBy: () => namer()?.name ?? null,
    /** The label and colour of a box about to be drawn, or null when it cannot be (no label picked). */
    drawing() {
      const named = namer();
      const labels = named ? named.palette.active() : [];
      if (named && named.palette.size && !labels.length) return null;
      return look(labels);
    },
    regions(s) {
      const named = namer();
      const paired = !valueKey && named ? new Map(s.items(named.name).filter((r) => r.to_name === toName).map((r) => [r.id, r])) : null;
      return s.items(name).filter((r) => r.to_name === toName && r.value).map((r) => {
        const v = r.value;
        return {
          id: r.id, x: num(v.x, 0), y: num(v.y, 0), width: num(v.width, 0), height: num(v.height, 0),
          rotation: num(v.rotation, 0), ...look(labelsOf(r, paired)),
        };
      });
    },
    /** A new box (percent geometry) on an image of natural `size`: its region id, or null when
     * the labels' limits refuse it. */
    create(s, box, size) {
      const named = namer();
      const labels = named ? named.palette.active() : [];
      if (named && labels.length) {
        const why = named.palette.refusal(named.regions(), labels);
        if (why) {
          ctx.notice(why);
          return null;
        }
      }
      const geometry = { x: box.x, y: box.y, width: box.width, height: box.height, rotation: 0 };
      const item = {
        id: regionId(), from_name: name, to_name: toName, type, origin: "manual",
        original_width: size.width, original_height: size.height, image_rotation: 0,
        value: valueKey ? { ...geometry, [valueKey]: labels } : geometry,
      };
      const items = [item];
      if (!valueKey && named && labels.length) items.push(labelsItem(item, named.name, labels));
      s.commit(s.result.concat(items));
      return item.id;
    },
    /** Move or resize a box: every result of its region on this image takes the new geometry. */
    update(s, id, box, size) {
      const geometry = { x: box.x, y: box.y, width: box.width, height: box.height, rotation: box.rotation || 0 };
      s.commit(s.result.map((r) => (r.id === id && r.to_name === toName && hasGeometry(r) ? {
        ...r,
        ...(size ? { original_width: size.width, original_height: size.height } : {}),
        origin: editedOrigin(r.origin),
        value: { ...r.value, ...geometry },
      } : r)));
    },
  };
}
