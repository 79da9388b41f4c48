from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    """People come from the company directory: SCIM 2.0 provisioning (Entra ID, Okta) and
    the CSV import. The rows are people's; this app is how the directory writes them."""

    name = "directory"
    label = "directory"
    verbose_name = "Directory sync"
