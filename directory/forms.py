from django import forms

MAX_FILE_BYTES = 4 * 1024 * 1024


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label="Name",
        help_text="The provider that will use it, e.g. “Entra ID production”.",
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        required=False,
        label="Directory file (CSV)",
        help_text="Columns: username, email, display_name, first_name, last_name, title, "
        "department, manager, active. Only username is required.",
    )
    # The file's text, carried from the dry run to the apply so the same file is applied.
    text = forms.CharField(required=False, widget=forms.HiddenInput, max_length=MAX_FILE_BYTES)
    authoritative = forms.BooleanField(
        required=False,
        label="The file lists everyone: deactivate active people who are not in it",
    )
    create_departments = forms.BooleanField(
        required=False, label="Create departments the file names that do not exist yet"
    )

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None:
            if upload.size > MAX_FILE_BYTES:
                raise forms.ValidationError({"file": "The file is larger than 4 MB."})
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise forms.ValidationError({"file": "Save the file as UTF-8 CSV."}) from exc
        if not data.get("text"):
            raise forms.ValidationError({"file": "Choose the directory file."})
        return data
