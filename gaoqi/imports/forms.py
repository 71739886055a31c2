from __future__ import annotations

from django import forms

from gaoqi.imports.workbook import MAX_FILE_BYTES


class UploadForm(forms.Form):
    file = forms.FileField(
        label="选择填好的导入模板（.xlsx）",
        error_messages={"required": "请选择要上传的文件。", "empty": "文件是空的。", "invalid": "上传的不是文件。"},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                f"文件过大（{upload.size / 1024 / 1024:.1f} MB），最大 {MAX_FILE_BYTES // 1024 // 1024} MB。"
            )
        return upload


class CommitForm(forms.Form):
    mode = forms.ChoiceField(choices=[("all", "全部导入"), ("valid_only", "仅导入无问题的行")])
