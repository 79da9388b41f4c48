import json

from django.core.management.base import BaseCommand, CommandError

from routing.management import embedder_or_error
from routing.ml import classifier, evaluation


class Command(BaseCommand):
    help = (
        "Train the question router on --train and measure it on --test (CSV files with the "
        "columns text,department; 'oos' = belongs to no department). Definitions of the "
        "metrics: routing/ml/classifier/."
    )

    def add_arguments(self, parser):
        parser.add_argument("--train", required=True, help="Training data: a UTF-8 CSV file.")
        parser.add_argument("--test", required=True, help="Test data: a UTF-8 CSV file.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")
        parser.add_argument(
            "--embeddings",
            choices=("auto", "on", "off"),
            help="Sentence embeddings beside TF-IDF (default: ROUTING_EMBEDDINGS, 'on'; "
            "'auto' falls back to TF-IDF when the model cannot be used).",
        )
        parser.add_argument(
            "--oos-recall-target",
            type=float,
            default=classifier.OOS_RECALL_TARGET,
            help="The out-of-fold share of oos training rows the threshold keeps in triage "
            f"(default {classifier.OOS_RECALL_TARGET}): higher sends more to triage.",
        )

    def handle(
        self,
        *args,
        train: str,
        test: str,
        json: bool,
        oos_recall_target: float,
        embeddings: str | None,
        **options,
    ):
        if not 0.0 < oos_recall_target <= 1.0:
            raise CommandError("--oos-recall-target must be above 0 and at most 1.")
        try:
            train_texts, train_labels = evaluation.read_csv(train)
            test_texts, test_labels = evaluation.read_csv(test)
            router = classifier.train(
                train_texts,
                train_labels,
                oos_recall_target=oos_recall_target,
                embedder=embedder_or_error(embeddings),
            )
            result = evaluation.evaluate(router, test_texts, test_labels)
        except ValueError as e:
            raise CommandError(str(e)) from None
        result = {
            "in_scope_accuracy": result.pop("in_scope_accuracy"),
            "oos_recall": result.pop("oos_recall"),
            "macro_f1": result.pop("macro_f1"),
            "train_seconds": router.metrics["train_seconds"],
            "predict_ms_p50": result.pop("predict_ms_p50"),
            "predict_ms_p95": result.pop("predict_ms_p95"),
            "n_train": len(train_texts),
            "embeddings": router.metrics.get("embeddings"),
            **result,
            "cv": {k: v for k, v in router.metrics.items() if k.startswith("cv_")},
        }
        result = evaluation.round_floats(result)
        if json:
            self.stdout.write(_json_dumps(result))
        else:
            self._table(result)

    def _table(self, r: dict) -> None:
        def pct(value):
            return "-" if value is None else f"{100 * value:.1f}%"

        w = self.stdout.write
        w(f"trained on {r['n_train']} rows in {r['train_seconds']:.1f} s; tested on {r['n_test']}")
        w(f"embeddings          {r['embeddings'] or 'none (TF-IDF only)'}")
        w(f"threshold           {r['threshold']}")
        w(f"in-scope accuracy   {pct(r['in_scope_accuracy'])}")
        w(f"oos recall          {pct(r['oos_recall'])}")
        w(f"macro F1            {pct(r['macro_f1'])}")
        w(f"latency p50 / p95   {r['predict_ms_p50']} ms / {r['predict_ms_p95']} ms")
        w("")
        w(f"{'department':<24}{'precision':>10}{'recall':>10}{'support':>10}")
        for name, s in r["per_department"].items():
            w(f"{name:<24}{pct(s['precision']):>10}{pct(s['recall']):>10}{s['support']:>10}")
        w("")
        w(f"{'threshold':>10}{'in-scope acc':>14}{'oos recall':>12}")
        for p in r["curve"]:
            w(f"{p['threshold']:>10}{pct(p['in_scope_accuracy']):>14}{pct(p['oos_recall']):>12}")


def _json_dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)
