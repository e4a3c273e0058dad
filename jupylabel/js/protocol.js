// @ts-check
// The labeling protocol as the front end sees it: the params and results of each method that
// Python's LabelSession serves (jupylabel/widgets/session.py), whatever carries them (the widget
// comm or HTTP, transport.js). Types only; `tsc --checkJs` holds the code that sends and reads
// these messages to them. A change of a payload in Python changes the typedef here with it.

/**
 * A Label Studio result item, as stored (`from_name`, `to_name`, `type`, `value`, a region `id`,
 * and `origin` for items that came from a prediction).
 * @typedef {{id?: string, from_name: string, to_name?: string, type: string,
 *   value: Record<string, any>, origin?: string} & Record<string, any>} ResultItem
 */

/**
 * The caller's annotation of a task (`LabelSession._annotation_payload`).
 * @typedef {object} AnnotationPayload
 * @property {number} id
 * @property {number} version   the version a new save of it must name
 * @property {ResultItem[]} result
 * @property {boolean} was_cancelled   stored by Skip
 * @property {number | null} lead_time   seconds spent on it, all saves together
 * @property {string | null} updated_at
 */

/**
 * @typedef {object} PredictionPayload
 * @property {number} id
 * @property {ResultItem[]} result
 * @property {number | null} score
 * @property {string | null} model_version
 */

/**
 * Where the picture of one image tag comes from (`LabelSession._media_source`).
 * @typedef {{kind: "url", url: string}
 *   | {kind: "kernel", name: string}
 *   | {kind: "refused", reason: string, value: string}} MediaSource
 */

/**
 * A task as the front end gets it (`LabelSession._task_payload`): resolved values, not raw data.
 * @typedef {object} TaskPayload
 * @property {number} id
 * @property {Record<string, any>} values   per tag key, what the tag shows (`$variable` resolved)
 * @property {Record<string, MediaSource>} media   per image tag key
 * @property {AnnotationPayload | null} annotation   the caller's, if any
 * @property {PredictionPayload[]} predictions   best first
 */

/**
 * Counts for the progress bar (`Store.progress`).
 * @typedef {object} Progress
 * @property {number} total
 * @property {number} labeled   tasks with as many annotations as the project asks for
 * @property {number} skipped   tasks only skipped so far
 * @property {number} [mine]    tasks the caller annotated
 */

/**
 * One element of the labeling config (`Tag.spec`); items (`<Choice>`, `<Label>`) add their
 * hotkey and result value.
 * @typedef {object} SpecNode
 * @property {string} tag
 * @property {string} kind   "object", "control", "item", "visual", …
 * @property {string} key
 * @property {Record<string, any>} attrs
 * @property {SpecNode[]} [children]
 * @property {string | null} [hotkey]
 * @property {string} [resultValue]
 */

/**
 * @typedef {object} ControlSpec
 * @property {string} tag
 * @property {string} type   the result `type` it writes
 * @property {string} valueKey
 * @property {string[]} toName
 * @property {string} frame   how `to_pandas` shows it ("regions" for span and box controls)
 * @property {boolean} required
 */

/**
 * The interface the front end draws (`LabelConfig.spec`).
 * @typedef {object} Spec
 * @property {number} version
 * @property {SpecNode} root
 * @property {Record<string, ControlSpec>} controls   by control name, in config order
 * @property {Record<string, {control: string, value: string}>} hotkeys   by normalised key
 * @property {string[]} warnings
 */

/**
 * @typedef {object} OpenResult
 * @property {Spec} spec
 * @property {{id: number, title: string}} project
 * @property {string} annotator
 * @property {TaskPayload[]} tasks
 * @property {Progress} progress
 */

/**
 * @typedef {object} SubmitParams
 * @property {number} task_id
 * @property {ResultItem[]} result
 * @property {number | null} annotation_id   null: a new annotation
 * @property {number | null} version   the version this edit starts from (with annotation_id)
 * @property {number} lead_time   seconds on screen since the last save
 * @property {boolean} skipped
 */

/**
 * @typedef {object} MediaResult
 * @property {string} content_type
 * @property {number} size
 * @property {ArrayBuffer[]} buffers   the bytes, carried as binary (never base64 in JSON)
 */

/**
 * Each method: its params, then its result.
 * @typedef {object} Methods
 * @property {[{limit?: number}, OpenResult]} open
 * @property {[{limit?: number, exclude?: number[]}, {tasks: TaskPayload[]}]} next
 * @property {[{id: number}, {task: TaskPayload}]} task
 * @property {[{id: number}, {task: TaskPayload | null}]} before
 * @property {[SubmitParams, {annotation: AnnotationPayload, progress: Progress}]} submit
 * @property {[{}, {progress: Progress}]} progress
 * @property {[{task_id: number, name: string}, MediaResult]} media
 */

/** @typedef {keyof Methods} Method */

/**
 * Sends one request; resolves with the method's result or rejects with a {@link RequestFailure}.
 * @typedef {<M extends Method>(method: M, params: Methods[M][0]) => Promise<Methods[M][1]>} Request
 */

/**
 * An `error` reply: `{message, code, …}`; a `conflict` carries the stored annotation as `current`.
 * @typedef {object} ErrorPayload
 * @property {string} message
 * @property {"bad_request" | "unknown_method" | "conflict" | "invalid_result" | "not_found" | "media" | string} code
 * @property {AnnotationPayload | null} [current]
 */

/**
 * What a failed request rejects with (transport.js `RequestError`): the reply's `code`, and the
 * rest of its error payload as `extra`.
 * @typedef {Error & {code?: string, extra?: {current?: AnnotationPayload | null} & Record<string, any>}} RequestFailure
 */

export {};
