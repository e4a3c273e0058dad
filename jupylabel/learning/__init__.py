"""The model in the loop: a model that learns while people label, and what it gives back.

- :mod:`.loop`: ``project.attach_model(model, every=10)``: after every ``every`` new
  annotations the model is fitted on a background thread, the unlabeled tasks are re-scored and
  their predictions stored under a new ``model_version``, with each task's uncertainty for the
  active orders of ``project.label(order=…)`` (SQL in ``store/ordering.py``);
- :mod:`.tasks`: the task frame a model scores (``task_id`` and the task's data keys);
- :mod:`.scores`: a model's output frame checked, and its uncertainty per task;
- :mod:`.quality`: cross-validated quality (the widget's score, ``project.learning_curve()``);
- :mod:`.similar`: ``project.similar(task_id)``: embeddings kept in the store, cosine top-k in SQL;
- :mod:`.images`: pictures read for a model as the widget reads them.

It reads and writes a project only through the project and its store, so a project opened with
``jl.connect()`` gets the same loop. Ready models are in :mod:`jupylabel.models`.
"""
