"""The resident's form page: one handler per intent, and the htmx autosave and field checks.

A POST is read once into a PostedPage; its `save()` is the one place a page's
answers are written to the draft. Then exactly one intent handles it: change
the rows of a repeatable section, go to the next or previous step, or submit.
"""

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from forms_catalog import schema as form_schema
from project import parsing
from project.types import HtmxHttpRequest

from . import address_search as address_search_provider
from . import fees, flow, i18n, kiosk, ratelimit, resident, services
from .models import Counter, Draft, Submission
from .resilience import keep_post_when_database_down


@dataclass
class PostedPage:
    """One POST of the form page: the draft it belongs to and the answers it carries."""

    request: HtmxHttpRequest
    form: services.FormContext
    counter: Counter | None
    draft: Draft
    raw: dict[str, Any]
    seq: int | None
    step: str
    saved: bool = False
    # The page's own address and template: the resident's form, or the officer's
    # 대신 작성 page (officer_console), which runs the same steps on the same engine.
    url: str = ""
    template: str = "intake/form.html"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def schema(self) -> form_schema.FormSchema:
        return self.draft.form_version.form

    def save(self) -> None:
        """Keep what was typed, valid or not (once per request)."""
        if not self.saved:
            services.save_draft(self.draft, self.raw, self.seq)
            self.saved = True

    def save_with_uploads(self) -> tuple[dict[str, Any], dict[str, str]]:
        """Save, then store the files that came with the page: (the draft's values, upload errors)."""
        self.save()
        request = self.request
        upload_errors = ratelimit.refuse_uploads(
            self.schema, request.FILES, resident.resident_key(request), str(request.META.get("REMOTE_ADDR", ""))
        ) or services.attach_uploads(self.draft, request.FILES)
        return services.draft_values(self.draft), upload_errors

    def render(self, values: dict[str, Any], errors: dict[str, str] | None = None, **kwargs: Any) -> HttpResponse:
        kwargs.setdefault("step", self.step)
        kwargs.setdefault("url", self.url)
        return _render(
            self.request,
            self.form,
            self.draft,
            values,
            errors or {},
            template=self.template,
            extra=self.extra,
            **kwargs,
        )


@require_http_methods(["GET", "POST"])
@keep_post_when_database_down
def form_page(request: HtmxHttpRequest, slug: str, code: str) -> HttpResponse:
    form = resident.form_or_404(resident.office_or_404(slug), code)
    if request.method == "GET":
        # Shared fields are prefilled when a page is shown; a POST only carries them back.
        draft = services.get_or_start_draft(
            resident_key=resident.resident_key(request), form=form, counter=resident.counter_for(request, form.office)
        )
        return _render(request, form, draft, services.draft_values(draft), {}, step=request.GET.get("step", ""))
    page = _read_post(request, form)
    if isinstance(page, HttpResponse):
        return page
    return step_intent(page) or _submit(page)


def step_intent(page: PostedPage) -> HttpResponse | None:
    """Rows added or removed, or 다음/이전: the page's answer; None for a submit (the caller's own)."""
    if page.request.POST.get("_row"):
        return _change_rows(page)
    if page.request.POST.get("_nav") in ("next", "prev"):
        return _navigate(page)
    return None


def _read_post(request: HtmxHttpRequest, form: services.FormContext) -> PostedPage | HttpResponse:
    posted_key = _posted_key(request)
    draft = _posted_draft(request, form, posted_key)
    if posted_key is not None and (draft.pk is None or posted_key != draft.idempotency_key):
        # Not the open draft's own page (that one cannot have submitted yet: a
        # submit closes its draft in the same transaction). A page resent with
        # the back button or after a lost answer must find what it submitted.
        # Only the token: a whole Submission row costs twice the CPU to read.
        token = Submission.objects.filter(idempotency_key=posted_key).values_list("public_token", flat=True).first()
        if token is not None:
            return redirect("intake:ticket", token=token)
    raw = resident.raw_values(request, draft.form_version.form)
    counter = resident.counter_for(request, form.office)
    return PostedPage(request, form, counter, draft, raw, _seq(request), request.POST.get("_step", ""))


def _posted_draft(request: HtmxHttpRequest, form: services.FormContext, key: uuid.UUID | None = None) -> Draft:
    """The draft a POST of this form belongs to. Not prefilled: the page it came from
    was, and carries those values back. Not saved yet: the caller saves what was posted."""
    return services.get_or_start_draft(
        resident_key=resident.resident_key(request),
        form=form,
        counter=resident.counter_for(request, form.office),
        prefill=False,
        save=False,
        key=key,
    )


def _change_rows(page: PostedPage) -> HttpResponse:
    """Add/remove a row of a repeatable section (세대원): a plain submit button,
    so it works without JavaScript; the page comes back as it was."""
    page.save()
    services.change_rows(page.draft, page.request.POST.get("_row", ""))
    return page.render(services.draft_values(page.draft))


def _navigate(page: PostedPage) -> HttpResponse:
    values, upload_errors = page.save_with_uploads()
    return _to_step(page, values, upload_errors, page.request.POST.get("_nav", ""))


def _to_step(page: PostedPage, values: dict[str, Any], upload_errors: dict[str, str], nav: str) -> HttpResponse:
    """다음/이전: the answers are already saved; 다음 goes on only when this step is right."""
    schema = page.schema
    all_steps = flow.steps(schema, values)
    # The step disappeared (대리인 no longer chosen): start again from the top.
    index = flow.find(all_steps, page.step) or 0
    result = form_schema.validate(schema, values)
    key = all_steps[index].key if index < len(all_steps) else flow.REVIEW
    errors = {**flow.errors_in(schema, all_steps, key, result.errors), **upload_errors}
    total = len(all_steps) + 1
    if nav == "prev":
        if upload_errors:
            return page.render(values, upload_errors, warnings=result.warnings, step=key)
        return _step_redirect(page, all_steps[max(index - 1, 0)].key if all_steps else flow.REVIEW, total)
    if errors:
        status = 422 if page.request.htmx else 200
        return page.render(values, errors, warnings=result.warnings, status=status, step=key)
    if page.request.POST.get("_return") == flow.REVIEW:
        # Steps this change added (대리인 chosen) are still checked: submit sends the resident there.
        return _step_redirect(page, flow.REVIEW, total)
    return _step_redirect(page, all_steps[index + 1].key if index + 1 < len(all_steps) else flow.REVIEW, total)


def _submit(page: PostedPage) -> HttpResponse:
    if page.request.FILES:
        values, upload_errors = page.save_with_uploads()
        if upload_errors:
            return _to_step(page, values, upload_errors, nav="")
    else:
        # Not written yet: a successful submit empties the draft anyway. Every
        # other way out below saves it first, so nothing typed is lost.
        values = services.values_with(page.draft, page.raw, page.seq)
    limits = _rate_limits(page)
    channel = kiosk.channel(page.request)
    try:
        ratelimit.check_all(limits)
        submission, created = services.submit(
            form=page.form,
            version=page.draft.form_version,
            raw_values=values,
            idempotency_key=page.draft.idempotency_key,
            counter=page.counter,
            draft=page.draft,
            before_visit=resident.filling_at_home(page.request, page.form.office),
            language=translation.get_language() or "",
            channel=channel,
        )
    except ratelimit.RateLimited as exc:
        page.save()
        return page.render(values, status=429, alert=exc.message)
    except services.PageKeyTaken as exc:
        # Keep the answers under a draft of this resident's own.
        page.draft = services.get_or_start_draft(
            resident_key=resident.resident_key(page.request),
            form=page.form,
            counter=page.counter,
            prefill=False,
            save=False,
        )
        page.saved = False
        page.save()
        return page.render(values, status=409, alert=str(exc.message))
    except services.InvalidSubmission as exc:
        page.save()
        return show_problems(page, values, exc.errors)
    if created:
        ratelimit.record_all(limits)
    if channel == Submission.Channel.KIOSK:
        # The next resident starts now; this one sees their ticket on the kiosk's own page.
        return kiosk.finish(page.request, submission)
    return redirect("intake:ticket", token=submission.public_token)


def _rate_limits(page: PostedPage) -> list[tuple[str, str, Any]]:
    limits = [
        ("client", resident.resident_key(page.request), ratelimit.client_limit()),
        ("address", str(page.request.META.get("REMOTE_ADDR", "")), ratelimit.address_limit()),
    ]
    if page.counter is not None:
        limits.append(("counter", str(page.counter.pk), ratelimit.counter_limit()))
    return limits


def show_problems(page: PostedPage, values: dict[str, Any], errors: dict[str, str]) -> HttpResponse:
    """Back to the first step with something to fix; every problem in the summary, each linked to its step."""
    schema = page.schema
    all_steps = flow.steps(schema, values)
    first = min((flow.find(all_steps, flow.step_of(schema, all_steps, k)) or 0 for k in errors), default=0)
    step = all_steps[first].key if first < len(all_steps) else flow.REVIEW
    warnings = form_schema.validate(schema, values).warnings
    return page.render(values, errors, warnings=warnings, status=422 if page.request.htmx else 200, step=step)


def _step_redirect(page: PostedPage, step: str, total: int) -> HttpResponse:
    services.set_step(page.draft, step)
    url = page.url or reverse("intake:form", args=[page.form.office.slug, page.form.template.code])
    # An answer added or removed steps (대리인 chosen): the next page says so, from how many.
    shown = parsing.integer(page.request.POST.get("_steps"), minimum=1, maximum=100)
    changed = f"&was={shown}" if shown is not None and shown != total else ""
    return redirect(f"{url}?step={step}{changed}")


def _render(
    request: HtmxHttpRequest,
    form: services.FormContext,
    draft: Draft,
    values: dict[str, Any],
    errors: dict[str, str],
    *,
    warnings: dict[str, str] | None = None,
    status: int = 200,
    alert: str = "",
    step: str = "",
    url: str = "",
    template: str = "intake/form.html",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """The form page at a step (or the review page), with these answers and problems.

    `url`, `template` and `extra` (context) serve the officer's 대신 작성 page.
    """
    schema = draft.form_version.form
    all_steps = flow.steps(schema, values)
    index = flow.find(all_steps, step)
    if index is None:
        # No step asked for, or one these answers no longer have: where the resident was.
        index = flow.find(all_steps, draft.step) or 0
    current = all_steps[index] if index < len(all_steps) else None
    services.set_step(draft, current.key if current else flow.REVIEW)
    url = url or reverse("intake:form", args=[form.office.slug, form.template.code])
    context = {
        **_step_context(request, schema, values, all_steps, index, current),
        "office": form.office,
        "template": form.template,
        "version": draft.form_version,
        "form_url": url,
        "values": form_schema.page_values(schema, values),
        "errors": errors,
        "error_list": [
            (k, label, msg, _field_href(schema, all_steps, current, url, k))
            for k, label, msg in resident.error_list(schema, errors)
        ],
        "warnings": warnings or {},
        "alert": alert,
        "draft": draft,
        "counter": resident.counter_for(request, form.office),
        # The review page says what the 민원 will cost (None: the form sets no fee).
        "fee_due": fees.amount_due(draft.form_version, values) if current is None else None,
        "address_search": address_search_provider.provider() is not None,
        **(extra or {}),
    }
    return render(request, template, context, status=status)


def render_page(
    request: HtmxHttpRequest,
    form: services.FormContext,
    draft: Draft,
    *,
    step: str,
    url: str,
    template: str,
    extra: dict[str, Any],
) -> HttpResponse:
    """A step of a draft kept elsewhere than in the resident's session (the officer's 대신 작성)."""
    return _render(
        request, form, draft, services.draft_values(draft), {}, step=step, url=url, template=template, extra=extra
    )


def _step_context(
    request: HtmxHttpRequest,
    schema: form_schema.FormSchema,
    values: dict[str, Any],
    all_steps: list[flow.Step],
    index: int,
    current: flow.Step | None,
) -> dict[str, Any]:
    sections = flow.page_sections(schema, values, current)
    review = current is None
    return {
        "step": current,
        "review_page": review,
        # Came to change one answer from the review page: 다음 goes straight back there.
        "returning": flow.REVIEW in (request.GET.get("from"), request.POST.get("_return")),
        "step_number": index + 1,
        "step_count": len(all_steps) + 1,
        # The count before an answer changed it (?was=, from _step_redirect), and whether one can.
        "steps_were": parsing.integer(request.GET.get("was"), minimum=1, maximum=100),
        "steps_may_change": any(s.show_if is not None for s in schema.sections),
        "steps": all_steps,
        "sections": sections,
        # Multipart only where a file can go up: it costs the server
        # several times more to parse than a urlencoded body.
        "uploads": any(f.type in form_schema.ATTACHMENT_TYPES for section in sections for f in section.fields),
        "review": flow.review_sections(schema, values, all_steps, english=not i18n.is_korean_page()) if review else [],
        "sign_off": flow.sign_off_fields(schema, values) if review else [],
    }


def _field_href(
    schema: form_schema.FormSchema, all_steps: list[flow.Step], current: flow.Step | None, url: str, key: str
) -> str:
    """A link to a field: on this page an anchor, on another step that step's page."""
    step = flow.step_of(schema, all_steps, key)
    if step == (current.key if current else flow.REVIEW):
        return f"#field-{key}-input"
    return f"{url}?step={step}#field-{key}-input"


@require_POST
def autosave(request: HtmxHttpRequest, slug: str, code: str) -> HttpResponse:
    """Save the whole page as the draft: typing pauses, leaving the page, and retries after a dropped connection."""
    office = resident.office_or_404(slug)
    form = resident.form_or_404(office, code)
    key = _posted_key(request)
    if key is not None and Submission.objects.filter(idempotency_key=key).exists():
        # A late save from a page already submitted must not start a new draft.
        return HttpResponse(status=204)
    draft = _posted_draft(request, form, key)
    services.save_draft(draft, resident.raw_values(request, draft.form_version.form), _seq(request))
    return HttpResponse(status=204)


def _seq(request: HtmxHttpRequest) -> int | None:
    """The page's clock when it sent this save (form.js adds it; a plain POST has none)."""
    return parsing.integer(request.POST.get("_seq"), minimum=0, maximum=10**16)


def _posted_key(request: HtmxHttpRequest) -> uuid.UUID | None:
    return parsing.uuid_key(request.POST.get("idempotency_key", ""))


@require_POST
def field_check(request: HtmxHttpRequest, slug: str, code: str, key: str) -> HttpResponse:
    """htmx: validate one field on leaving it, and autosave the whole draft."""
    office = resident.office_or_404(slug)
    form = resident.form_or_404(office, code)
    return field_feedback(request, form, _posted_draft(request, form), key)


def field_feedback(
    request: HtmxHttpRequest,
    form: services.FormContext,
    draft: Draft,
    key: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """Save the posted page into `draft` and answer one field's check (its feedback block)."""
    office = form.office
    schema = draft.form_version.form
    f = form_schema.get_field(schema, key)
    if f is None:
        return HttpResponse(status=404)
    services.save_draft(draft, resident.raw_values(request, schema), _seq(request))
    values = services.draft_values(draft)
    _, error, warning = form_schema.validate_field(schema, key, form_schema.value_at(values, key), values)
    return render(
        request,
        "intake/form.html#field",
        {
            "field": f,
            "values": form_schema.page_values(schema, values),
            "errors": {key: error} if error else {},
            "warnings": {key: warning} if warning else {},
            "office": office,
            "template": form.template,
            **(extra or {}),
        },
    )


@require_GET
def address_search(request: HtmxHttpRequest) -> HttpResponse:
    """htmx: 도로명주소 검색 for an address field's boxes; a pick fills them (form.js)."""
    field = request.GET.get("field", "")
    # The browser's key only if it has one: a client without the form's cookie gets no
    # session written per request, and is limited by its address alone.
    limits = ratelimit.search_limits(
        str(request.session.get("resident_key", "")), str(request.META.get("REMOTE_ADDR", ""))
    )
    try:
        ratelimit.take(limits)
        found, problem = address_search_provider.search(request.GET.get("q", "")), ""
    except ratelimit.RateLimited as exc:
        found, problem = [], exc.message
    except address_search_provider.AddressSearchError as exc:
        found, problem = [], exc.message
    return render(request, "intake/_address_results.html", {"results": found, "problem": problem, "key": field})
