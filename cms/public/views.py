"""Public views: the Q&A index (listing and the question form) and the site-wide search."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse

from cms.consultations.services import ip_hash
from lms.core.http import client_ip

from .forms import MSG_QUESTION_RATE_LIMIT, MSG_QUESTION_SENT, QuestionForm
from .models import QAIndexPage, QATopic
from .selectors import PAGE_PARAM, qa_listing, site_search
from .services import question_rate_limited, question_submit

FORM_ANCHOR = "#dat-cau-hoi"


def qa_index_serve(page: QAIndexPage, request, *args, **kwargs):
    form = None
    topics = QATopic.objects.all()
    if page.accepts_questions:
        if request.method == "POST":
            data = request.POST.copy()
            form = QuestionForm(data, page_id=page.pk, topics=topics)
            hashed = ip_hash(client_ip(request))
            if question_rate_limited(hashed_ip=hashed):
                form.is_valid()
                form.add_error(None, MSG_QUESTION_RATE_LIMIT)
            elif form.is_valid():
                cleaned = form.cleaned_data
                question_submit(
                    index=page,
                    name=cleaned["name"],
                    locality=cleaned["locality"],
                    contact=cleaned["contact"],
                    topic=cleaned["topic"],
                    body=cleaned["body"],
                    hashed_ip=hashed,
                )
                messages.success(request, MSG_QUESTION_SENT)
                return HttpResponseRedirect(page.get_url(request) + FORM_ANCHOR)
            data["token"] = form.fresh_token()
        else:
            form = QuestionForm(page_id=page.pk, topics=topics)
    context = page.get_context(request, *args, **kwargs)
    context.update(qa_listing(index=page, params=request.GET))
    context["form"] = form
    return TemplateResponse(request, page.get_template(request), context)


def search(request):
    context = site_search(
        query=request.GET.get("q", ""), page_number=request.GET.get(PAGE_PARAM), request=request
    )
    return TemplateResponse(request, "public/search.html", context)
