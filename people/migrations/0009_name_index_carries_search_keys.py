"""The directory's name index carries what a text search filters on (PostgreSQL only).

A search (`people.selectors.profile_page` with a query) walks profile_name_keyset in name
order and keeps the people whose folded name, title or username holds the word. With only
the name and id in the index, each person walked was read from the table: for "yilmaz"
(1,999 of 100,000 people) the first page walked 1,368 and took PostgreSQL 2.5-3 ms. With
the keys, the account and the department in the index, the walk reads the index alone
(an index-only scan) and the page's 25 rows are read after: about 1 ms. The index grows
from about 8 to about 12 MB at 100,000 people; other databases ignore INCLUDE."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0008_search_keys_statistics"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="profile",
            name="profile_name_keyset",
        ),
        migrations.AddIndex(
            model_name="profile",
            index=models.Index(
                fields=["display_name", "id"],
                include=("user", "department", "name_key", "title_key", "username_key"),
                name="profile_name_keyset",
            ),
        ),
    ]
