from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sabaq.accounts import selectors, services
from sabaq.accounts.forms import (
    LanguageForm,
    LoginForm,
    PasswordChangeForm,
    PersonCreateForm,
    PersonForm,
)
from sabaq.accounts.models import SCHOOL_ROLES, Role
from sabaq.accounts.slips import login_slips_pdf
from sabaq.core.forms import form_add_service_errors
from sabaq.core.http import safe_next_url

BACKEND = "sabaq.accounts.backends.LoginOrIINBackend"


def _set_language_cookie(response, language: str) -> None:
    from django.conf import settings

    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
    )


def login_view(request):
    if request.user.is_authenticated:
        return redirect("accounts:home")

    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login_verify(
                identifier=form.cleaned_data["identifier"],
                password=form.cleaned_data["password"],
            )
        except services.LoginError as error:
            form.add_error(None, error.message)
        else:
            auth_login(request, user, backend=BACKEND)
            target = safe_next_url(
                request, request.POST.get("next"), reverse("accounts:home")
            )
            response = redirect(target)
            _set_language_cookie(response, user.language)
            return response

    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": request.GET.get("next", "")},
    )


@require_POST
def logout_view(request):
    auth_logout(request)
    return redirect("accounts:login")


@require_POST
def language_set(request):
    form = LanguageForm(request.POST)
    fallback = reverse("accounts:home")
    if not form.is_valid():
        return redirect(fallback)

    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        services.person_set_language(user=request.user, language=language)
    translation.activate(language)
    response = redirect(safe_next_url(request, form.cleaned_data["next"], fallback))
    _set_language_cookie(response, language)

    return response


def role_choose(request):
    memberships = list(selectors.memberships_of(request.user))
    if request.method == "POST":
        chosen = selectors.membership_get_for_user(
            request.user, request.POST.get("membership")
        )
        if chosen is None:
            messages.error(request, _("Choose one of your roles."))
        else:
            request.session[selectors.SESSION_KEY] = chosen.pk
            return redirect("accounts:home")

    return render(request, "accounts/role_choose.html", {"memberships": memberships})


def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password has been changed."))
            return redirect("accounts:home")

    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "first_login": request.user.must_change_password},
    )


def profile(request):
    return render(
        request,
        "accounts/profile.html",
        {"memberships": selectors.memberships_of(request.user)},
    )


def home(request):
    """Each role lands on its own page with that role's entry points."""
    from sabaq.accounts import homes

    membership = request.membership
    if membership is None:
        if selectors.memberships_of(request.user).exists():
            return redirect("accounts:role_choose")
        return render(request, "accounts/home_no_role.html")

    return homes.render_home(request, membership)


# People of a school, for its director and deputy heads.


def person_list(request):
    actor = request.membership
    role = request.GET.get("role", "")
    if role not in SCHOOL_ROLES:
        role = ""
    search = request.GET.get("q", "").strip()[:100]
    people = selectors.school_people(actor=actor, role=role or None, search=search)
    counts = selectors.school_role_counts(actor=actor)
    tabs = [
        {"role": r.value, "label": r.label, "count": counts.get(r.value, 0)}
        for r in Role
        if r in SCHOOL_ROLES
    ]

    return render(
        request,
        "accounts/person_list.html",
        {
            "people": people[:500],
            "role": role,
            "search": search,
            "tabs": tabs,
            "total": selectors.school_people(actor=actor).count(),
        },
    )


def _person_form_initial(person) -> dict:
    return {
        "surname": person.surname,
        "name": person.name,
        "patronymic": person.patronymic,
        "iin": person.iin or "",
        "phone": person.phone,
        "email": person.email,
        "language": person.language,
    }


def person_create(request):
    actor = request.membership
    form = PersonCreateForm(
        request.POST or None, initial={"role": request.GET.get("role")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = services.person_create(
                actor=actor, organisation=actor.organisation, **form.cleaned_data
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            return render(
                request,
                "accounts/person_created.html",
                {"person": created.person, "password": created.password},
            )

    return render(request, "accounts/person_create.html", {"form": form})


def person_detail(request, person_id):
    person = selectors.school_person_get(actor=request.membership, person_id=person_id)
    return render(request, "accounts/person_detail.html", {"person": person})


def person_edit(request, person_id):
    actor = request.membership
    person = selectors.school_person_get(actor=actor, person_id=person_id)
    form = PersonForm(request.POST or None, initial=_person_form_initial(person))
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=actor, person=person, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("accounts:person_detail", person_id=person.pk)

    return render(
        request, "accounts/person_edit.html", {"form": form, "person": person}
    )


@require_POST
def person_password_reset(request, person_id):
    actor = request.membership
    person = selectors.school_person_get(actor=actor, person_id=person_id)
    password = services.password_reset(actor=actor, person=person)
    response = render(
        request,
        "accounts/person_created.html",
        {"person": person, "password": password, "reset": True},
    )
    response["Cache-Control"] = "no-store"

    return response


@require_POST
def login_slips(request):
    """New first passwords for the chosen people, as one PDF of slips to cut."""
    actor = request.membership
    ids = [value for value in request.POST.getlist("person") if value.isdigit()]
    people = list(selectors.school_people(actor=actor).filter(pk__in=ids))
    if not people:
        messages.error(
            request, _("Tick the people whose login slips you want to print.")
        )
        return redirect(
            safe_next_url(
                request, request.POST.get("next"), reverse("accounts:person_list")
            )
        )

    issued = services.login_slips_issue(actor=actor, people=people)
    pdf = login_slips_pdf(request=request, school=actor.organisation, issued=issued)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="login-slips.pdf"'
    response["Cache-Control"] = "no-store"

    return response
