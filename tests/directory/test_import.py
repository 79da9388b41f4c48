"""The directory file: a dry run shows the diff and changes nothing; the apply changes all of
it or nothing; bad rows are named by line; a second run changes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from core.errors import ApplicationError
from directory import services
from directory.models import DirectoryAuditEntry
from policies.models import AuditEntry

from ..conftest import client_for
from ..factories import make_person

pytestmark = pytest.mark.django_db
User = get_user_model()

FILE = """username,email,display_name,title,department,manager
ana.garcia,ana@example.com,Ana Garcia,Staff Engineer,engineering,carla.new@example.com
carla.new,carla.new@example.com,Carla New,Head of Engineering,Engineering,
dev.new,dev@example.com,Dev New,Engineer,finance,ana.garcia
"""


def _snapshot():
    return sorted(
        User.objects.values_list(
            "username",
            "email",
            "is_active",
            "profile__title",
            "profile__department__slug",
            "profile__manager__user__username",
        )
    )


def test_dry_run_shows_the_diff_and_changes_nothing(admin_user, employee, finance):
    before = _snapshot()
    plan = services.plan_import(actor=admin_user, text=FILE)
    assert plan.errors == [] and not plan.applied
    assert _snapshot() == before
    assert not DirectoryAuditEntry.objects.filter(action="import_applied").exists()
    by_name = {c.username: c for c in plan.changes}
    assert by_name["carla.new"].kind == "new" and by_name["dev.new"].kind == "new"
    ana = by_name["ana.garcia"]
    assert ana.kind == "changed" and ana.line == 2
    assert ana.fields["title"] == ("Backend Engineer", "Staff Engineer")
    assert ana.fields["manager"] == ("", "carla.new")  # a manager new in the same file
    assert ana.fields["email"] == ("ana.garcia@example.com", "ana@example.com")


def test_apply_makes_the_changes_and_a_second_run_finds_none(admin_user, employee, finance):
    plan = services.apply_import(actor=admin_user, text=FILE)
    assert plan.applied and plan.errors == []
    dev = User.objects.get(username="dev.new").profile
    assert (dev.title, dev.department.slug, dev.manager.user) == ("Engineer", "finance", employee)
    assert User.objects.get(pk=employee.pk).profile.manager.user.username == "carla.new"
    assert (
        DirectoryAuditEntry.objects.filter(action="import_applied", actor=admin_user).count() == 1
    )

    again = services.plan_import(actor=admin_user, text=FILE)
    assert again.errors == [] and again.changes == []
    before = _snapshot()
    assert services.apply_import(actor=admin_user, text=FILE).changes == []
    assert _snapshot() == before


def test_bad_rows_are_named_and_nothing_is_applied(admin_user, employee, finance):
    text = (
        FILE
        + "eve,not-an-email,Eve,,finance,\n"
        + "fay,fay@example.com,Fay,,marketing,\n"
        + "gil,gil@example.com,Gil,,finance,nobody@example.com\n"
        + "hal,hal@example.com,Hal,,finance,hal\n"
        + "ana.garcia,again@example.com,Ana,,,\n"
    )
    before = _snapshot()
    plan = services.apply_import(actor=admin_user, text=text)
    assert not plan.applied
    errors = {e.line: e.message for e in plan.errors}
    assert "not an email address" in errors[5]
    assert "No department 'marketing'" in errors[6]
    assert "No manager 'nobody@example.com'" in errors[7]
    assert "own manager" in errors[8]
    assert "also on line 2" in errors[9]
    assert _snapshot() == before


def test_a_manager_cycle_found_while_applying_changes_nothing(admin_user, employee, colleague):
    text = "username,manager\nana.garcia,ben.okafor\nben.okafor,ana.garcia\n"
    before = _snapshot()
    plan = services.apply_import(actor=admin_user, text=text)
    assert not plan.applied
    assert [e.line for e in plan.errors] == [3]
    assert "already reports to" in plan.errors[0].message
    assert _snapshot() == before
    # the dry run meets the same refusal: it runs the same writes and rolls them back
    assert [e.line for e in services.plan_import(actor=admin_user, text=text).errors] == [3]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("email,title\nx@example.com,Boss\n", "username"),
        ("username,salary\nana.garcia,1\n", "Unknown column 'salary'"),
        ("username,title\nana.garcia,a,b\n", "More cells"),
        ("username,title\n,Boss\n", "username is empty"),
        ("username,title\nana.garcia," + "x" * 200 + "\n", "title is longer"),
        ("username,active\nana.garcia,maybe\n", "write true or false"),
        ("username\nana\x00\n", "NUL"),
    ],
)
def test_unusable_files_say_why(admin_user, employee, text, message):
    plan = services.plan_import(actor=admin_user, text=text)
    assert plan.errors and message in plan.errors[0].message


def test_departments_are_created_only_when_asked(admin_user, employee):
    text = "username,department\nana.garcia,Customer Care\n"
    assert services.plan_import(actor=admin_user, text=text).errors
    plan = services.apply_import(actor=admin_user, text=text, create_departments=True)
    assert plan.applied
    assert User.objects.get(pk=employee.pk).profile.department.name == "Customer Care"


def test_an_authoritative_file_deactivates_who_is_missing_through_the_offboarding(
    admin_user, employee, colleague, finance
):
    from policies import services as policies

    account = policies.create_brand_account(
        actor=admin_user,
        platform="x",
        handle="@acme",
        url="https://x.com/acme",
        department=finance,
    )
    policies.authorize_person(actor=admin_user, account=account, user=colleague)
    boss = make_person("bea.boss")
    colleague.profile.manager = boss
    colleague.profile.save()
    text = "username\nana.garcia\nbea.boss\n"

    plain = services.plan_import(actor=admin_user, text=text)
    assert [c for c in plain.changes if c.kind == "deactivated"] == []
    dry = services.plan_import(actor=admin_user, text=text, authoritative=True)
    assert {c.username for c in dry.changes if c.kind == "deactivated"} == {"ben.okafor"}
    assert User.objects.get(pk=colleague.pk).is_active  # still: a dry run
    assert AuditEntry.objects.filter(action="offboard").count() == 0

    services.apply_import(actor=admin_user, text=text, authoritative=True)
    assert not User.objects.get(pk=colleague.pk).is_active
    assert User.objects.get(pk=admin_user.pk).is_active  # superusers and the importer stay
    assert AuditEntry.objects.filter(action="offboard", target_user=colleague).count() == 1
    account.refresh_from_db()
    assert account.handover_to == boss.user


def test_only_admins_import(employee):
    with pytest.raises(ApplicationError):
        services.plan_import(actor=employee, text=FILE)
    client = client_for(employee)
    assert client.get("/directory/import/").status_code == 403


def test_the_page_previews_then_applies(admin_user, employee, finance, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(admin_user)
    upload = SimpleUploadedFile("people.csv", FILE.encode("utf-8-sig"), "text/csv")
    preview = client.post("/directory/import/", {"file": upload, "action": "preview"})
    assert preview.status_code == 200
    assert b"Dry run: nothing changed yet" in preview.content
    assert b"carla.new" in preview.content
    assert not User.objects.filter(username="carla.new").exists()
    text = preview.context["text"]
    applied = client.post("/directory/import/", {"text": text, "action": "apply"})
    assert b"Imported" in applied.content
    assert User.objects.filter(username="carla.new").exists()


def test_the_page_names_bad_rows(admin_user, employee):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("p.csv", b"username,department\nana.garcia,nowhere\n")
    response = client_for(admin_user).post("/directory/import/", {"file": upload})
    assert response.status_code == 400
    assert b"No department" in response.content and b"<td>2</td>" in response.content


def test_the_command_is_a_dry_run_unless_applied(admin_user, employee, finance, tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_text(FILE)
    call_command("import_directory", str(path), "--as", admin_user.username)
    assert "dry run" in capsys.readouterr().out
    assert not User.objects.filter(username="carla.new").exists()
    call_command("import_directory", str(path), "--apply", "--as", admin_user.username)
    assert User.objects.filter(username="carla.new").exists()

    path.write_text("username,department\nana.garcia,nowhere\n")
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("import_directory", str(path), "--apply", "--as", admin_user.username)
    assert "line 2: No department" in capsys.readouterr().err
    with pytest.raises(CommandError, match="Only admins"):
        call_command("import_directory", str(path), "--as", employee.username)
