"""python manage.py routing_import --csv FILE --as USERNAME."""

import pytest
from django.core.management import CommandError, call_command

from routing.models import CustomerQuestion

pytestmark = pytest.mark.django_db


def test_import_twice_stores_each_question_once(social, tmp_path, capsys):
    path = tmp_path / "q.csv"
    path.write_text(
        "channel,external_id,text\ntwitter,1,Where is my refund?\nemail,2,Invoice wrong 🙃\n"
        "fax,3,hello\n",
        encoding="utf-8",
    )
    call_command("routing_import", "--csv", str(path), "--as", "sam.social")
    assert "2 new, 0 already received, 1 refused" in capsys.readouterr().out
    call_command("routing_import", "--csv", str(path), "--as", "sam.social")
    assert "0 new, 2 already received, 1 refused" in capsys.readouterr().out
    assert CustomerQuestion.objects.count() == 2


def test_refusals_are_clear(social, outsider, tmp_path):
    path = tmp_path / "q.csv"
    path.write_text("channel,text\nweb,hi\n")
    with pytest.raises(CommandError, match="social media team"):
        call_command("routing_import", "--csv", str(path), "--as", "otto.other")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("routing_import", "--csv", str(tmp_path / "none.csv"), "--as", "sam.social")
    path.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(CommandError):
        call_command("routing_import", "--csv", str(path), "--as", "sam.social")
    assert CustomerQuestion.objects.count() == 0
