from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from recruitment.models import Position

from . import id_numbers
from .models import ApplicantProfile, Certificate, Document, EducationRecord, WorkRecord
from .names import clean_real_name
from .uploads import photo_settings

# What a pasted number may carry around its 18 characters (spaces, hyphens, a full-width
# spelling): the browser must never cut a paste; the server normalises, then judges.
ID_INPUT_MAX = 64
NAME_INPUT_MAX = 64


def say_choose(form: forms.Form) -> None:
    """Every select's empty choice reads 请选择 (not "---------")."""
    for field in form.fields.values():
        choices = getattr(field, "choices", None)
        if isinstance(field, forms.ChoiceField) and choices and list(choices)[0][0] in ("", None):
            field.choices = [("", _("请选择")), *list(choices)[1:]]
        if isinstance(field, forms.ModelChoiceField) and field.empty_label is not None:
            field.empty_label = _("请选择")


class ChooseMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        say_choose(self)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ProfileForm(forms.ModelForm):
    # Declared here, not derived from the model's max_length (18 / 20): a derived field
    # renders maxlength=18, and the browser then cut a pasted " 110105 19491231 002X" and the
    # error blamed its length. The service and the model still store 18 / NAME_MAX.
    real_name = forms.CharField(label=_("姓名"), max_length=NAME_INPUT_MAX, strip=False)
    id_number = forms.CharField(label=_("身份证号码"), max_length=ID_INPUT_MAX)

    class Meta:
        model = ApplicantProfile
        fields = [
            "real_name",
            "id_number",
            "ethnicity",
            "political_status",
            "household_province",
            "household_city",
            "household_district",
            "household_settled_on",
            "address",
        ]
        widgets = {"household_settled_on": DateInput()}
        help_texts = {
            "real_name": _("与身份证一致（含生僻字）；少数民族姓名中的间隔号请输入“·”。"),
            "id_number": _("18位第二代居民身份证号码；出生日期和性别由号码自动得出。"),
            "household_settled_on": _("岗位有落户时间要求时填写，以户口簿为准。"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["id_number"].widget.attrs.update({"autocomplete": "off", "class": "id-number"})
        self.fields["id_number"].help_text = self._meta.help_texts["id_number"]
        self.fields["real_name"].help_text = self._meta.help_texts["real_name"]
        self.fields["real_name"].widget.attrs["autocomplete"] = "name"
        self.fields["household_province"].widget.attrs["placeholder"] = _("例如：辽宁省")
        self.fields["household_city"].widget.attrs["placeholder"] = _("例如：鞍山市")
        self.fields["household_district"].widget.attrs["placeholder"] = _("例如：铁东区")
        say_choose(self)
        self.locked = bool(self.instance.pk and self.instance.identity_locked)
        if self.locked:
            # Locked, and looking it: read-only, greyed, a lock in the label, and why.
            for name in ("real_name", "id_number"):
                field = self.fields[name]
                field.widget.attrs.update(
                    {
                        "readonly": True,
                        "aria-readonly": "true",
                        "class": "bg-body-secondary",
                        "tabindex": "-1",
                    }
                )
                field.label = _("%(label)s（已锁定）") % {"label": field.label}
                field.help_text = _(
                    "报名已审核通过，姓名和身份证号码已锁定，不能修改；如确有错误，请联系招聘单位。"
                )

    def _locked_unchanged(self, name, value):
        if self.locked and value != getattr(self.instance, name):
            raise ValidationError(
                _("报名已审核通过，姓名和身份证号码已锁定，不能修改；如确有错误请联系招聘单位。"),
                code="locked",
            )
        return value

    def clean_real_name(self):
        return self._locked_unchanged("real_name", clean_real_name(self.cleaned_data.get("real_name")))

    def clean_id_number(self):
        """Any spelling → the stored one (applicants.id_numbers.normalize) before every
        check. Whether another account holds it is decided by services.profile_save (with
        the attempt counter and a neutral message), not here: one place, one answer."""
        info = id_numbers.parse(self.cleaned_data.get("id_number"))
        return self._locked_unchanged("id_number", info.number)

    def validate_unique(self):
        pass  # services.profile_save checks other accounts; the database has the last word


class EducationForm(ChooseMixin, forms.ModelForm):
    class Meta:
        model = EducationRecord
        fields = ["level", "school", "major", "graduated_on", "full_time"]
        widgets = {"graduated_on": DateInput()}


class WorkForm(ChooseMixin, forms.ModelForm):
    class Meta:
        model = WorkRecord
        fields = ["employer", "role", "started_on", "ended_on", "community_work"]
        widgets = {"started_on": DateInput(), "ended_on": DateInput()}

    def clean(self):
        data = super().clean()
        if data.get("started_on") and data.get("ended_on") and data["ended_on"] < data["started_on"]:
            self.add_error("ended_on", _("结束时间不能早于开始时间。"))
        return data


class CertificateForm(ChooseMixin, forms.ModelForm):
    class Meta:
        model = Certificate
        fields = ["name", "number", "issued_on"]
        widgets = {"issued_on": DateInput()}


def _formset(form, prefix_max):
    return forms.modelformset_factory(
        form._meta.model, form=form, extra=0, can_delete=True, max_num=prefix_max, validate_max=True
    )


EducationFormSet = _formset(EducationForm, 10)
WorkFormSet = _formset(WorkForm, 20)
CertificateFormSet = _formset(CertificateForm, 20)


def formset_rows(formset) -> list[dict]:
    """The records a valid formset describes (deleted and blank forms dropped)."""
    rows = []
    for form in formset.forms:
        if not form.has_changed() and not form.instance.pk:
            continue
        if formset.can_delete and formset._should_delete_form(form):
            continue
        rows.append({name: form.cleaned_data.get(name) for name in form._meta.fields})
    return rows


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("证件照"), widget=forms.FileInput(attrs={"accept": "image/jpeg"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limits = photo_settings()
        self.fields["photo"].help_text = _(
            "近期免冠正面证件照（1寸），JPEG格式，约%(width)s×%(height)s像素，不超过%(max_kb)sKB；"
            "手机拍摄的同比例大照片会自动缩小。"
        ) % {"width": limits["width"], "height": limits["height"], "max_kb": limits["max_bytes"] // 1024}


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("材料类型"),
        choices=[("", _("请选择")), *Document.Kind.choices],
        error_messages={"required": _("请选择材料类型。")},
    )
    file = forms.FileField(
        label=_("文件"),
        help_text=_("PDF、JPEG 或 PNG，每个不超过5MB。"),
        widget=forms.FileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )


DECLARATION_TEXT = _(
    "本人承诺：所填写的个人信息和提交的材料真实、准确、完整，符合报考岗位的条件；"
    "如有弄虚作假，自愿承担取消报考或录用资格等一切后果。"
)


class ApplyForm(forms.Form):
    declaration = forms.BooleanField(
        label=_("我已阅读并同意诚信承诺"),
        required=True,
        error_messages={"required": _("请阅读并勾选诚信承诺。")},
    )


class ResubmitForm(ApplyForm):
    position = forms.ModelChoiceField(label=_("报考岗位"), queryset=Position.objects.none(), empty_label=None)

    field_order = ["position", "declaration"]

    def __init__(self, *args, announcement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].queryset = (
            Position.objects.filter(announcement=announcement)
            .exclude(status=Position.Status.CANCELLED)
            .order_by("code")
        )
        self.fields["position"].label_from_instance = lambda p: f"{p.code} {p.name}（{p.employer}）"
