"""A Label Studio ML backend built with ``label-studio-ml`` (PyPI), run by the tests in its own
virtual environment (``scripts/ml-backend-env.sh``): Choices by keyword, learning words from
the annotations its ``/webhook`` hears.

``predict``: a task whose text holds a word learned for a label gets that label (score 0.9);
otherwise "Positive" if it says "good", else "Negative" (score 0.5). With a ``context`` (an
interactive request) naming a label, that label with score 1.0: what the annotator started.
``fit`` (a training event): the first word of the annotated text is learned for its label,
on top of what earlier jobs learned; the model version is the job's id."""

from label_studio_ml.model import LabelStudioMLBase


class KeywordModel(LabelStudioMLBase):
    def _control(self):
        name, info = next(iter(self.parsed_label_config.items()))
        return name, info["to_name"][0], info["inputs"][0]["value"]

    def predict(self, tasks, **kwargs):
        name, to_name, key = self._control()
        words = (self.train_output or {}).get("words", {})
        context = kwargs.get("context") or {}
        out = []
        for task in tasks:
            text = str(task["data"].get(key, ""))
            label, score = ("Positive", 0.5) if "good" in text else ("Negative", 0.5)
            for word, learned in words.items():
                if word in text.split():
                    label, score = learned, 0.9
            if isinstance(context, dict) and context.get("label"):
                label, score = context["label"], 1.0
            out.append({"result": [{"from_name": name, "to_name": to_name, "type": "choices",
                                    "value": {"choices": [label]}}], "score": score})
        return out

    def fit(self, tasks, workdir=None, **kwargs):
        words = dict((self.train_output or {}).get("words", {}))
        seen = (self.train_output or {}).get("seen", 0)
        data = kwargs.get("data") or {}
        annotation, task = data.get("annotation") or {}, data.get("task") or {}
        name, to_name, key = self._control()
        for item in annotation.get("result") or []:
            if item.get("from_name") == name:
                text = str((task.get("data") or {}).get(key, "")).split()
                if text:
                    words[text[0]] = item["value"]["choices"][0]
                    seen += 1
        return {"words": words, "seen": seen}
