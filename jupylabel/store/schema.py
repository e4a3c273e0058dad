"""The DuckDB schema and its migrations.

Each migration is a list of statements applied once, in order, inside one transaction; the
file records the version it reached in ``jupylabel_meta``. A file written by a newer jupylabel
(a higher version than this code knows) is refused rather than guessed at.

Annotations are versioned: ``annotations`` holds the current state of each annotation with its
``version``; ``annotation_history`` is only ever appended to and keeps every earlier version:
an update or a delete first copies the version it replaces there (and a delete adds a
``deleted`` row), so a create, the labeling hot path, and an import write no history rows (an
imported annotation's first version is ``imported``, by ``imported_by`` at ``imported_at``;
files written before schema 5 have ``imported`` and ``created`` rows there). The full history of an annotation is its history rows plus its
current row when that version is not among them (``DuckDBStore.annotation_history``). A write
names the version it started from, so a stale write changes no row and is reported as a
conflict instead of silently winning.

``media`` holds images that were put in tasks as Python objects (bytes, PIL images, numpy
arrays), encoded once at import and named by content hash; the task's data keeps Label
Studio's upload form of a reference to it, ``/data/upload/<project>/<name>``.

``project_members`` gives a user a role in a project (``annotator``, ``reviewer``, ``manager``);
a server admin (``users.is_admin``) is a manager everywhere. ``api_tokens`` holds every API
token's SHA-256, a user may have several, each listable (by id, name, last four characters)
and revocable on its own. Only the server reads either table: a notebook that opens the file
itself is unrestricted.
"""

from __future__ import annotations

MIGRATIONS: list[list[str]] = [
    # 1: the first schema
    [
        "CREATE TABLE IF NOT EXISTS jupylabel_meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
        "CREATE SEQUENCE project_ids START 1",
        "CREATE SEQUENCE task_ids START 1",
        "CREATE SEQUENCE annotation_ids START 1",
        "CREATE SEQUENCE prediction_ids START 1",
        "CREATE SEQUENCE user_ids START 1",
        """CREATE TABLE users (
            id BIGINT PRIMARY KEY,
            email VARCHAR NOT NULL UNIQUE,
            first_name VARCHAR NOT NULL DEFAULT '',
            last_name VARCHAR NOT NULL DEFAULT '',
            token_hash VARCHAR,
            created_at TIMESTAMP NOT NULL)""",
        """CREATE TABLE projects (
            id BIGINT PRIMARY KEY,
            title VARCHAR NOT NULL,
            description VARCHAR NOT NULL DEFAULT '',
            label_config VARCHAR NOT NULL,
            settings JSON NOT NULL DEFAULT '{}',
            data_schema JSON NOT NULL DEFAULT '{}',
            created_by BIGINT,
            created_at TIMESTAMP NOT NULL,
            updated_at TIMESTAMP NOT NULL)""",
        """CREATE TABLE tasks (
            id BIGINT NOT NULL,
            project_id BIGINT NOT NULL,
            data JSON NOT NULL,
            meta JSON,
            extra JSON,
            created_at TIMESTAMP NOT NULL,
            updated_at TIMESTAMP NOT NULL)""",
        """CREATE TABLE annotations (
            id BIGINT PRIMARY KEY,
            task_id BIGINT NOT NULL,
            project_id BIGINT NOT NULL,
            version INTEGER NOT NULL,
            result JSON NOT NULL,
            completed_by BIGINT,
            was_cancelled BOOLEAN NOT NULL DEFAULT false,
            ground_truth BOOLEAN NOT NULL DEFAULT false,
            lead_time DOUBLE,
            extra JSON,
            created_at TIMESTAMP NOT NULL,
            updated_at TIMESTAMP NOT NULL,
            updated_by BIGINT)""",
        """CREATE TABLE annotation_history (
            annotation_id BIGINT NOT NULL,
            version INTEGER NOT NULL,
            action VARCHAR NOT NULL,
            task_id BIGINT NOT NULL,
            project_id BIGINT NOT NULL,
            result JSON,
            completed_by BIGINT,
            was_cancelled BOOLEAN,
            ground_truth BOOLEAN,
            lead_time DOUBLE,
            written_at TIMESTAMP NOT NULL,
            written_by BIGINT,
            PRIMARY KEY (annotation_id, version))""",
        """CREATE TABLE predictions (
            id BIGINT PRIMARY KEY,
            task_id BIGINT NOT NULL,
            project_id BIGINT NOT NULL,
            result JSON NOT NULL,
            score DOUBLE,
            model_version VARCHAR NOT NULL DEFAULT '',
            extra JSON,
            created_at TIMESTAMP NOT NULL,
            updated_at TIMESTAMP NOT NULL)""",
    ],
    # 2: the team server — admins, leases on tasks being labeled, webhooks
    [
        "ALTER TABLE users ADD COLUMN is_admin BOOLEAN NOT NULL DEFAULT false",
        # A lease says: this user was handed this unlabeled task and is probably labeling it, so
        # nobody else is offered it until the lease expires (or the user submits it).
        """CREATE TABLE task_leases (
            task_id BIGINT NOT NULL,
            project_id BIGINT NOT NULL,
            user_id BIGINT NOT NULL,
            expires_at TIMESTAMP NOT NULL,
            PRIMARY KEY (task_id, user_id))""",
        "CREATE SEQUENCE webhook_ids START 1",
        """CREATE TABLE webhooks (
            id BIGINT PRIMARY KEY,
            project_id BIGINT NOT NULL,
            url VARCHAR NOT NULL,
            secret VARCHAR NOT NULL,
            send_payload BOOLEAN NOT NULL DEFAULT true,
            send_for_all_actions BOOLEAN NOT NULL DEFAULT true,
            headers JSON NOT NULL DEFAULT '{}',
            is_active BOOLEAN NOT NULL DEFAULT true,
            actions JSON NOT NULL DEFAULT '[]',
            created_at TIMESTAMP NOT NULL,
            updated_at TIMESTAMP NOT NULL)""",
    ],
    # 3: where imported records came from. Imports renumber tasks, annotations and
    # predictions; ``source_id`` keeps the id the file gave (any JSON value, as files carry
    # ints or strings). ``users.source_id`` is the Label Studio user id an annotator was
    # imported as (``"completed_by": 7``), written back on export.
    [
        "ALTER TABLE tasks ADD COLUMN source_id JSON",
        "ALTER TABLE annotations ADD COLUMN source_id JSON",
        "ALTER TABLE predictions ADD COLUMN source_id JSON",
        "ALTER TABLE users ADD COLUMN source_id BIGINT",
    ],
    # 4: images stored with the project
    [
        """CREATE TABLE media (
            project_id BIGINT NOT NULL,
            name VARCHAR NOT NULL,
            content_type VARCHAR NOT NULL,
            width INTEGER,
            height INTEGER,
            size BIGINT NOT NULL,
            data BLOB NOT NULL,
            created_at TIMESTAMP NOT NULL,
            PRIMARY KEY (project_id, name))""",
    ],
    # 5: who imported an annotation and when, on the annotation itself: an import writes no
    # history rows (the history reads an imported annotation's first version from here).
    [
        "ALTER TABLE annotations ADD COLUMN imported_by BIGINT",
        "ALTER TABLE annotations ADD COLUMN imported_at TIMESTAMP",
    ],
    # 6: project membership and roles; several tokens per user. Existing files keep working:
    # each project's creator manages it; if the file has no admin, the creator of its first
    # project becomes one (the file's owner); every other user who held a token keeps
    # access to the projects that exist now, as an annotator; the one token a user had
    # moves to ``api_tokens`` (its last four characters were never stored, so they are '').
    [
        """CREATE TABLE project_members (
            project_id BIGINT NOT NULL,
            user_id BIGINT NOT NULL,
            role VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL,
            PRIMARY KEY (project_id, user_id))""",
        "CREATE SEQUENCE token_ids START 1",
        """CREATE TABLE api_tokens (
            id BIGINT PRIMARY KEY,
            user_id BIGINT NOT NULL,
            token_hash VARCHAR NOT NULL,
            name VARCHAR NOT NULL DEFAULT '',
            last4 VARCHAR NOT NULL DEFAULT '',
            created_at TIMESTAMP NOT NULL)""",
        """UPDATE users SET is_admin = true
           WHERE NOT EXISTS (SELECT 1 FROM users WHERE is_admin)
             AND id = (SELECT created_by FROM projects WHERE created_by IS NOT NULL ORDER BY id LIMIT 1)""",
        """INSERT INTO project_members
           SELECT p.id, p.created_by, 'manager', now()::TIMESTAMP FROM projects p
           JOIN users u ON u.id = p.created_by""",
        """INSERT INTO project_members
           SELECT p.id, u.id, 'annotator', now()::TIMESTAMP FROM projects p, users u
           WHERE u.token_hash IS NOT NULL AND NOT u.is_admin
             AND u.id IS DISTINCT FROM p.created_by""",
        """INSERT INTO api_tokens
           SELECT nextval('token_ids'), id, token_hash, 'token', '', now()::TIMESTAMP FROM users
           WHERE token_hash IS NOT NULL ORDER BY id""",
        "UPDATE users SET token_hash = NULL",
    ],
    # 7: several annotators per task. ``task_assignments``: a task given to named annotators
    # (only they are handed it). ``annotation_reviews``: a reviewer's accept, reject (with a
    # comment) or fix of one version of an annotation (a fix names the version it wrote).
    [
        """CREATE TABLE task_assignments (
            task_id BIGINT NOT NULL,
            project_id BIGINT NOT NULL,
            user_id BIGINT NOT NULL,
            assigned_by BIGINT,
            created_at TIMESTAMP NOT NULL,
            PRIMARY KEY (task_id, user_id))""",
        "CREATE SEQUENCE review_ids START 1",
        """CREATE TABLE annotation_reviews (
            id BIGINT PRIMARY KEY,
            annotation_id BIGINT NOT NULL,
            task_id BIGINT NOT NULL,
            project_id BIGINT NOT NULL,
            annotation_version INTEGER NOT NULL,
            previous_version INTEGER NOT NULL,
            reviewer_id BIGINT NOT NULL,
            action VARCHAR NOT NULL,
            comment VARCHAR NOT NULL DEFAULT '',
            created_at TIMESTAMP NOT NULL)""",
    ],
    # 8: what a model in the loop keeps beside its predictions: each task's uncertainty under
    # the newest model (the active orders of ``next_tasks`` read it) and task embeddings for
    # ``project.similar()`` and the ``diverse`` order, one set per embedder.
    [
        """CREATE TABLE task_uncertainty (
            project_id BIGINT NOT NULL,
            task_id BIGINT NOT NULL,
            model_version VARCHAR NOT NULL,
            confidence DOUBLE,
            margin DOUBLE,
            entropy DOUBLE,
            PRIMARY KEY (project_id, task_id))""",
        """CREATE TABLE task_embeddings (
            project_id BIGINT NOT NULL,
            task_id BIGINT NOT NULL,
            embedder VARCHAR NOT NULL,
            vector FLOAT[] NOT NULL,
            PRIMARY KEY (project_id, embedder, task_id))""",
    ],
    # 9: Label Studio ML backends and accept mode. ``ml_backends``: Label Studio ML backends a
    # project calls (Label Studio's ``MLBackend`` fields; ``state`` is its two-letter code). ``rejections``:
    # suggestions (a prediction's result) an annotator turned down in accept mode, kept as
    # negatives for training; an accepted one is an annotation naming its ``parent_prediction``.
    [
        "CREATE SEQUENCE IF NOT EXISTS ml_backend_ids START 1",
        """CREATE TABLE IF NOT EXISTS ml_backends (
            id BIGINT PRIMARY KEY,
            project_id BIGINT NOT NULL,
            url VARCHAR NOT NULL,
            title VARCHAR NOT NULL DEFAULT '',
            description VARCHAR NOT NULL DEFAULT '',
            is_interactive BOOLEAN NOT NULL DEFAULT false,
            model_version VARCHAR NOT NULL DEFAULT '',
            extra_params JSON NOT NULL DEFAULT '{}',
            timeout DOUBLE NOT NULL DEFAULT 100,
            auth_method VARCHAR NOT NULL DEFAULT 'NONE',
            basic_auth_user VARCHAR,
            basic_auth_pass VARCHAR,
            auto_update BOOLEAN NOT NULL DEFAULT true,
            state VARCHAR NOT NULL DEFAULT 'DI',
            error_message VARCHAR,
            created_at TIMESTAMP NOT NULL,
            updated_at TIMESTAMP NOT NULL)""",
        "CREATE SEQUENCE IF NOT EXISTS rejection_ids START 1",
        """CREATE TABLE IF NOT EXISTS rejections (
            id BIGINT PRIMARY KEY,
            task_id BIGINT NOT NULL,
            project_id BIGINT NOT NULL,
            prediction_id BIGINT,
            model_version VARCHAR NOT NULL DEFAULT '',
            result JSON NOT NULL,
            completed_by BIGINT,
            created_at TIMESTAMP NOT NULL)""",
    ],
]

SCHEMA_VERSION = len(MIGRATIONS)


# Every table that holds rows of one task or one project beside ``tasks``/``projects``: what a
# delete removes. A migration that adds such a table adds it here, so no delete leaves rows behind.
TASK_TABLES = ("annotation_history", "annotations", "predictions", "task_leases", "task_assignments",
               "annotation_reviews", "task_uncertainty", "task_embeddings", "rejections")
PROJECT_TABLES = (*TASK_TABLES, "tasks", "webhooks", "media", "project_members", "ml_backends")
