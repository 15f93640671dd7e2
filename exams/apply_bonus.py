"""Bonus points claimed on the apply form (加分申请随报名提交): registered with
applicants.apply_extensions by exams.services.written.register.

For each bonus category of the announcement the applicant may tick it and pick its proof
among the documents of their profile (the submission's snapshot takes them along, so the
reviewer can open them). The ticks are saved by exams.services.bonus.bonus_claims_sync in
the transaction that saves the draft (暂存: claims of the draft, shown ticked on return) and
in the one that submits the application (both or neither); what is unticked is withdrawn.
Claims may still be added later on the bonus claim page until the review deadline."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from applicants.models import Document
from recruitment.models import BonusCategory

from .models_written import BonusClaim
from .selectors import written as selectors
from .services import bonus as bonus_services


def _plural_number(points) -> int:
    """The number ngettext chooses the form by: a whole number of points as it is, a
    fraction (0.5 points) as plural, as English says it."""
    whole = int(points)
    return whole if points == whole else 2


class ApplyBonusForm(forms.Form):
    """One checkbox and one proof choice per category (fields claim_<id>, proof_<id>)."""

    def __init__(self, *args, categories, documents, **kwargs):
        super().__init__(*args, prefix="bonus", **kwargs)
        self.categories = list(categories)
        documents = list(documents)
        for category in self.categories:
            self.fields[f"claim_{category.pk}"] = forms.BooleanField(
                label=ngettext(
                    "%(name)s（加 %(points)s 分）",
                    "%(name)s（加 %(points)s 分）",
                    _plural_number(category.points),
                )
                % {"name": category.name, "points": category.points.normalize()},
                required=False,
            )
            field = forms.ModelChoiceField(
                label=gettext_lazy("证明材料"),
                queryset=Document.objects.filter(pk__in=[d.pk for d in documents]),
                required=False,
                empty_label=_("请选择证明材料"),
            )
            field.choices = [("", _("请选择证明材料")), *[(d.pk, d.original_name) for d in documents]]
            self.fields[f"proof_{category.pk}"] = field
        self._documents = {d.pk: d for d in documents}

    def rows(self):
        return [(c, self[f"claim_{c.pk}"], self[f"proof_{c.pk}"]) for c in self.categories]

    def clean(self):
        data = super().clean()
        for category in self.categories:
            if data.get(f"claim_{category.pk}") and not data.get(f"proof_{category.pk}"):
                self.add_error(f"proof_{category.pk}", ValidationError(_("申请该加分项目须选择证明材料。")))
        return data

    def chosen(self) -> list[tuple[BonusCategory, Document]]:
        return [
            (c, self.cleaned_data[f"proof_{c.pk}"])
            for c in self.categories
            if self.cleaned_data.get(f"claim_{c.pk}")
        ]


class BonusPart:
    """The apply form's part (applicants.apply_extensions protocol). On GET, the claims the
    draft (or a withdrawn application) holds are shown ticked with their proof."""

    def __init__(self, request, position, data, categories, application=None):
        documents = Document.objects.filter(profile__user=request.user).order_by("kind", "pk")
        self.request = request
        self.categories = categories
        initial = {}
        if data is None and application is not None:
            for category_id, proof_id in BonusClaim.objects.filter(
                application=application, category__in=categories
            ).values_list("category_id", "proof_id"):
                initial[f"claim_{category_id}"] = True
                initial[f"proof_{category_id}"] = proof_id
        self.form = ApplyBonusForm(data, initial=initial, categories=categories, documents=documents)

    def is_valid(self) -> bool:
        return not self.form.is_bound or self.form.is_valid()

    def render(self) -> str:
        return render_to_string("exams/written/_apply_bonus.html", {"form": self.form}, request=self.request)

    def save(self, application) -> None:
        """With the submission: the application's claims become what is ticked."""
        bonus_services.bonus_claims_sync(
            application=application,
            actor=self.request.user,
            categories=self.categories,
            chosen=self.form.chosen(),
        )

    def save_draft(self, application) -> None:
        """With the draft (暂存): kept as claims of the draft, shown ticked on return."""
        self.save(application)


def bonus_part(request, position, data, application=None):
    """The part for this position's announcement, or None when it has no bonus categories."""
    categories = selectors.bonus_categories(position.announcement_id)  # cached: no query
    if not categories:
        return None
    return BonusPart(request, position, data, categories, application)


def _points_text(points) -> str:
    """5 → "5", 2.50 → "2.5" (never "1E+1")."""
    return f"{points.normalize():f}"


def bonus_form_section(application):
    """The registration form's section of the bonus items claimed (applicants.apply_extensions
    register_form_section protocol): per claim its category, points, the reviewer's decision
    and, for a refusal, the reason; None when nothing is claimed (no empty section). One
    query. Texts in the active language (the PDF sets Chinese)."""
    from applicants.apply_extensions import FormSection

    claims = list(
        BonusClaim.objects.filter(application_id=application.pk)
        .select_related("category")
        .order_by("-category__points", "category__name", "pk")
    )
    if not claims:
        return None
    return FormSection(
        title=_("加分申请"),
        headers=(_("加分项目"), _("分值"), _("认定结果"), _("认定说明")),
        widths=(0.34, 0.12, 0.16, 0.38),
        rows=tuple(
            (
                claim.category.name,
                _points_text(claim.category.points),
                claim.get_status_display(),
                claim.reason if claim.status == BonusClaim.Status.REFUSED else "",
            )
            for claim in claims
        ),
    )
