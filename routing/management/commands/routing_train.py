import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from routing.management import embedder_or_error
from routing.ml import classifier, evaluation
from routing.training import store_router_version


class Command(BaseCommand):
    help = (
        "Train the question router on a CSV file (columns text,department; department 'oos' "
        "= belongs to no department), print its metrics and store it as a new router version "
        "(also written to --out when given)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--csv", required=True, help="Training data: a UTF-8 CSV file.")
        parser.add_argument(
            "--out", help="Also write the trained router to this file (Router.dumps() bytes)."
        )
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
        csv: str,
        out: str | None,
        oos_recall_target: float,
        embeddings: str | None,
        **options,
    ):
        if not 0.0 < oos_recall_target <= 1.0:
            raise CommandError("--oos-recall-target must be above 0 and at most 1.")
        if out and not Path(out).resolve().parent.is_dir():
            raise CommandError(f"--out {out}: the folder does not exist.")
        try:
            texts, labels = evaluation.read_csv(csv)
            router = classifier.train(
                texts,
                labels,
                oos_recall_target=oos_recall_target,
                embedder=embedder_or_error(embeddings),
            )
        except ValueError as e:
            raise CommandError(str(e)) from None
        self.stdout.write(json.dumps(evaluation.round_floats(router.metrics), indent=2))
        if out:
            try:
                Path(out).write_bytes(router.dumps())
            except OSError as e:
                raise CommandError(f"--out {out}: cannot write ({e.strerror}).") from None
            self.stdout.write(f"Router written to {out}.")
        version = store_router_version(
            router=router, source=f"csv:{Path(csv).name}"[:100], n_examples=len(texts)
        )
        self.stdout.write(f"Router stored as version {version.pk}.")
