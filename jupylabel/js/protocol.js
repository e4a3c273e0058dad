// @ts-check
// The labeling protocol as the front end sees it: the params and results of each method that
// Python's LabelSession serves (jupylabel/labeling/session.py), whatever carries them (the
// widget comm or HTTP, transport.js). Types only; `tsc --checkJs` holds the code that sends and
// reads these messages to them.
//
// Python types the same messages in jupylabel/labeling/messages.py (TypedDicts, one per
// typedef here, of the same name); tests/test_protocol_types.py holds the two to each other,
// field by field, so a payload changes in both or the tests fail.

/**
 * The fields of a Label Studio result item, as stored (`from_name`, `to_name`, `type`,
 * `value`, a region `id`, and `origin` for items that came from a prediction).
 * @typedef {object} ResultItemFields
 * @property {string} [id]
 * @property {string} from_name
 * @property {string} [to_name]
 * @property {string} type
 * @property {Record<string, any>} value
 * @property {string} [origin]
 */

/**
 * A result item: its fields, and whatever other keys it came with (`original_width`, `score`, …).
 * @typedef {ResultItemFields & Record<string, any>} ResultItem
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
 * An image the browser loads itself (http, https, blob, `data:image/`).
 * @typedef {object} UrlMedia
 * @property {"url"} kind
 * @property {string} url
 */

/**
 * An image Python reads (a file under the image folder, or a stored image): ask `media`.
 * @typedef {object} KernelMedia
 * @property {"kernel"} kind
 * @property {string} name
 */

/**
 * An image reference that is not shown, and why.
 * @typedef {object} RefusedMedia
 * @property {"refused"} kind
 * @property {string} reason
 * @property {string} value
 */

/**
 * Where the picture of one image tag comes from (`LabelSession._media_source`).
 * @typedef {UrlMedia | KernelMedia | RefusedMedia} MediaSource
 */

/**
 * A task as the front end gets it (`LabelSession._task_payload`): resolved values, not raw data.
 * @typedef {object} TaskPayload
 * @property {number} id
 * @property {number} position   its place in the project by id, from 1 ("12 of 40")
 * @property {Record<string, any>} values   per tag key, what the tag shows (`$variable` resolved)
 * @property {Record<string, MediaSource>} media   per image tag key
 * @property {Record<string, MediaSource[]>} [pages]   per valueList image tag key, where each page's
 *   picture is (labeling/pages.py); `media` holds the first
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
 * hotkey and result value, tags jupylabel does not know say so.
 * @typedef {object} SpecNode
 * @property {string} tag
 * @property {string} kind   "object", "control", "item", "visual", …
 * @property {string} key
 * @property {Record<string, any>} attrs
 * @property {SpecNode[]} [children]
 * @property {string | null} [hotkey]
 * @property {string} [resultValue]
 * @property {boolean} [unknown]
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
 * What a key does: pick `value` in `control`.
 * @typedef {object} Hotkey
 * @property {string} control
 * @property {string} value
 */

/**
 * The interface the front end draws (`LabelConfig.spec`).
 * @typedef {object} Spec
 * @property {number} version
 * @property {SpecNode} root
 * @property {Record<string, ControlSpec>} controls   by control name, in config order
 * @property {Record<string, Hotkey>} hotkeys   by normalised key
 * @property {string[]} warnings
 */

/**
 * @typedef {object} ProjectRef
 * @property {number} id
 * @property {string} title
 */

/**
 * `start`: the task shown first (a link to one task); the tasks after it follow.
 * @typedef {object} OpenParams
 * @property {number} [limit]
 * @property {number} [start]
 */

/**
 * @typedef {object} OpenResult
 * @property {Spec} spec
 * @property {ProjectRef} project
 * @property {string} annotator
 * @property {TaskPayload[]} tasks
 * @property {Progress} progress
 * @property {string} [mode]
 */

/**
 * @typedef {object} NextParams
 * @property {number} [limit]
 * @property {number[]} [exclude]   task ids the front end holds already
 */

/**
 * @typedef {object} TasksResult
 * @property {TaskPayload[]} tasks
 */

/**
 * @typedef {object} TaskParams
 * @property {number} id
 */

/**
 * @typedef {object} BeforeParams
 * @property {number | null} id   null: the last task
 */

/**
 * @typedef {object} TaskResult
 * @property {TaskPayload} task
 */

/**
 * @typedef {object} BeforeResult
 * @property {TaskPayload | null} task   null: nothing before it
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
 * @typedef {object} SubmitResult
 * @property {AnnotationPayload} annotation
 * @property {Progress} progress
 */

/**
 * A page of the task table.
 * @typedef {object} TableParams
 * @property {number} [offset]
 * @property {number} [limit]
 * @property {string} [sort]   id, status, labels, annotator, updated_at, annotations, agreement or prediction_score
 * @property {boolean} [descending]
 * @property {string | null} [status]   labeled, skipped or unlabeled
 * @property {string | null} [annotator]
 * @property {string | null} [search]   text in the labels, or a task id
 * @property {string | null} [text]   text in the task's data
 * @property {string | null} [label]   a label the row shows
 * @property {number | null} [agreement_min]
 * @property {number | null} [agreement_max]
 * @property {number | null} [score_min]   bounds of the best prediction's score
 * @property {number | null} [score_max]
 */

/**
 * @typedef {object} TableRow
 * @property {number} id
 * @property {number} position
 * @property {string} status
 * @property {string} labels
 * @property {string | null} annotator
 * @property {string | null} updated_at
 * @property {number | null} lead_time
 * @property {number} annotations   how many annotated it (not skipped)
 * @property {number | null} agreement   share of its pairs of annotations that agree
 * @property {number | null} prediction_score   its best prediction's score
 */

/**
 * @typedef {object} TablePage
 * @property {number} total   the tasks that match, over all pages
 * @property {TableRow[]} rows
 */

/**
 * The task table's filters: "select all" takes every task they match.
 * @typedef {object} TableIdsParams
 * @property {string | null} [status]
 * @property {string | null} [annotator]
 * @property {string | null} [search]
 * @property {string | null} [text]
 * @property {string | null} [label]
 * @property {number | null} [agreement_min]
 * @property {number | null} [agreement_max]
 * @property {number | null} [score_min]
 * @property {number | null} [score_max]
 */

/**
 * @typedef {object} TableIds
 * @property {number[]} ids
 * @property {number} total
 */

/** @typedef {Record<string, never>} BulkOptionsParams */

/**
 * A Choices a bulk label can fill, and its labels.
 * @typedef {object} BulkControl
 * @property {string} name
 * @property {string[]} choices
 */

/**
 * @typedef {object} BulkOptions
 * @property {BulkControl[]} controls
 */

/**
 * One choice given to many tasks: one annotation each.
 * @typedef {object} BulkLabelParams
 * @property {number[]} task_ids
 * @property {string} control
 * @property {string} choice
 */

/**
 * @typedef {object} BulkLabelResult
 * @property {number[]} created   the new annotations' ids
 * @property {Progress} progress
 */

/** @typedef {Record<string, never>} ProgressParams */

/**
 * The tasks a closing view holds and has not submitted: their leases go back at once.
 * @typedef {object} ReleaseParams
 * @property {number[]} task_ids
 */

/** @typedef {Record<string, never>} ReleaseResult */

/**
 * Accept mode: the suggestion decided on, by its prediction.
 * @typedef {object} AcceptParams
 * @property {number} task_id
 * @property {number} prediction_id
 */

/**
 * @typedef {object} AcceptResult
 * @property {AnnotationPayload | null} annotation
 * @property {Progress} progress
 */

/** @typedef {Record<string, never>} UndoParams */

/**
 * @typedef {object} UndoResult
 * @property {number} task_id
 * @property {string} undone
 * @property {Progress} progress
 */

/**
 * @typedef {object} ProgressResult
 * @property {Progress} progress
 */

/**
 * @typedef {object} MediaParams
 * @property {number} task_id
 * @property {string} name   the image tag's name
 * @property {number} [index]   the page of a valueList image tag
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
 * @property {[OpenParams, OpenResult]} open
 * @property {[NextParams, TasksResult]} next
 * @property {[TaskParams, TaskResult]} task
 * @property {[BeforeParams, BeforeResult]} before
 * @property {[SubmitParams, SubmitResult]} submit
 * @property {[ProgressParams, ProgressResult]} progress
 * @property {[MediaParams, MediaResult]} media
 * @property {[TableParams, TablePage]} table
 * @property {[TableIdsParams, TableIds]} table_ids
 * @property {[BulkOptionsParams, BulkOptions]} bulk_options
 * @property {[BulkLabelParams, BulkLabelResult]} bulk_label
 * @property {[AcceptParams, AcceptResult]} accept
 * @property {[AcceptParams, AcceptResult]} reject
 * @property {[UndoParams, UndoResult]} undo
 * @property {[ReleaseParams, ReleaseResult]} release
 */

/** @typedef {keyof Methods} Method */

/**
 * Sends one request; resolves with the method's result or rejects with a {@link RequestFailure}.
 * @typedef {<M extends Method>(method: M, params: Methods[M][0]) => Promise<Methods[M][1]>} Request
 */

/**
 * An `error` reply. `code`: "bad_request", "unknown_method", "conflict" (which carries the
 * stored annotation as `current`), "invalid_result", "not_found", "media", or an error type's name.
 * @typedef {object} ErrorPayload
 * @property {string} message
 * @property {string} code
 * @property {AnnotationPayload | null} [current]
 */

/**
 * What a failed request rejects with (transport.js `RequestError`): the reply's `code`, and the
 * rest of its error payload as `extra`.
 * @typedef {Error & {code?: string, extra?: {current?: AnnotationPayload | null} & Record<string, any>}} RequestFailure
 */

export {};
