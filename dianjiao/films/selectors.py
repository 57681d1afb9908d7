"""Reads for the film pages: each runs a fixed number of queries whatever the library's size."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce

from dianjiao.accounts.models import Role, User
from dianjiao.lib.dates import today

from .models import Announcement, Film, FilmCopy, FilmRequest, FilmRequestLine, Language, Loan


def _count(queryset, path: str = "film"):
    """Rows of `queryset` per outer row, as a subquery (no join fan-out)."""
    sub = (
        queryset.filter(**{path: OuterRef("pk")})
        .order_by()
        .values(path)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


def _in_stock():
    return FilmCopy.objects.exclude(status__in=FilmCopy.RETIRED)


def _lendable():
    return FilmCopy.objects.filter(status=FilmCopy.Status.SHELF).exclude(
        medium=FilmCopy.Medium.FILE
    )


def films_for_list(user):
    """The catalogue the user sees, each film with its copies counted and themes and languages."""
    return (
        Film.objects.visible_to(user)
        .annotate(
            n_copies=_count(_in_stock()),
            n_on_shelf=_count(_lendable()),
            n_videos=_count(_in_stock().exclude(file_name="")),
        )
        .prefetch_related("themes", "languages")
    )


def open_loans_prefetch(user) -> Prefetch:
    """A copy's open loan, if the user may see it: an operator sees that a copy is out, and where
    only when it is out to their own village."""
    return Prefetch(
        "loans",
        queryset=Loan.objects.visible_to(user).open().select_related("village"),
        to_attr="open_loans",
    )


def copies_of(film, user):
    return (
        FilmCopy.objects.visible_to(user)
        .filter(film=film)
        .select_related("language")
        .prefetch_related(open_loans_prefetch(user))
    )


def copies_where(user):
    """Every copy the user sees and where it is now."""
    return (
        FilmCopy.objects.visible_to(user)
        .select_related("film", "language")
        .prefetch_related(open_loans_prefetch(user))
    )


def copy_counts(user) -> dict:
    return FilmCopy.objects.visible_to(user).aggregate(
        total=Count("pk", filter=~Q(status__in=FilmCopy.RETIRED)),
        on_shelf=Count("pk", filter=Q(status=FilmCopy.Status.SHELF)),
        loaned=Count("pk", filter=Q(status=FilmCopy.Status.LOANED)),
        retired=Count("pk", filter=Q(status__in=FilmCopy.RETIRED)),
    )


def loans_for(user):
    return Loan.objects.visible_to(user).select_related(
        "copy__film",
        "language",
        "village",
        "dispatched_by",
        "received_by",
        "returned_to",
    )


def loan_counts(user) -> dict:
    return Loan.objects.visible_to(user).aggregate(
        open=Count("pk", filter=Q(returned_at__isnull=True)),
        overdue=Count("pk", filter=Q(returned_at__isnull=True, due_on__lt=today())),
        unreceived=Count("pk", filter=Q(returned_at__isnull=True, received_at__isnull=True)),
    )


def overdue_loans(user):
    return loans_for(user).overdue().order_by("due_on", "village__sort_order", "pk")


def contacts_by_village(village_ids) -> dict[int, list[User]]:
    """The operators to call about a village's overdue copies, in one query."""
    contacts: dict[int, list[User]] = {}
    operators = User.objects.filter(
        role=Role.VILLAGE_OPERATOR, is_active=True, village_id__in=set(village_ids)
    )
    for user in operators.order_by("village_id", "pk"):
        contacts.setdefault(user.village_id, []).append(user)
    return contacts


def _lines_with_loans():
    return Prefetch(
        "lines", queryset=FilmRequestLine.objects.select_related("film", "language", "loan__copy")
    )


def requests_for(user):
    return (
        FilmRequest.objects.visible_to(user)
        .select_related("village", "requested_by", "decided_by")
        .prefetch_related(_lines_with_loans())
    )


def pending_requests(user):
    """The station's queue: requests waiting for a decision, oldest first."""
    return (
        requests_for(user)
        .filter(status=FilmRequest.Status.REQUESTED)
        .order_by("requested_at", "pk")
    )


def lines_to_dispatch(user):
    """Lines of approved requests that have no copy yet, with how many copies are on the shelf."""
    return (
        FilmRequestLine.objects.visible_to(user)
        .filter(request__status=FilmRequest.Status.APPROVED, loan__isnull=True)
        .select_related("film", "request__village", "language")
        .annotate(
            n_on_shelf=Coalesce(
                Subquery(
                    _lendable()
                    .filter(film=OuterRef("film"))
                    .order_by()
                    .values("film")
                    .annotate(n=Count("pk"))
                    .values("n"),
                    output_field=IntegerField(),
                ),
                Value(0),
            )
        )
        .order_by("wanted_on", "pk")
    )


def announcements_for(user, *, on=None):
    """Published announcements whose period has not ended, soonest first, with their films.
    Three queries at most, whatever their number (for the home page's include)."""
    films = Film.objects.prefetch_related("languages")
    return (
        Announcement.objects.visible_to(user)
        .current(on)
        .prefetch_related(Prefetch("films", queryset=films))
        .order_by("period_start", "pk")
    )


def language_options(films) -> dict[int, list[Language]]:
    """The language versions a village may ask for, per film: the languages of the copies the
    station can lend (not lost or written off, not digital files), or, for a film with no such
    copy in a known language, the languages the catalogue gives it. A film with more than one
    option is one where a request must say which. Three queries, however many films."""
    film_ids = [f.pk for f in films] if isinstance(films, list | tuple) else films.values("pk")
    held = (
        FilmCopy.objects.filter(film__in=film_ids, language__isnull=False)
        .exclude(status__in=FilmCopy.RETIRED)
        .exclude(medium=FilmCopy.Medium.FILE)
        .values_list("film_id", "language_id")
        .distinct()
    )
    listed = Film.languages.through.objects.filter(film__in=film_ids).values_list(
        "film_id", "language_id"
    )
    by_copies: dict[int, set[int]] = {}
    for film_id, language_id in held:
        by_copies.setdefault(film_id, set()).add(language_id)
    by_catalogue: dict[int, set[int]] = {}
    for film_id, language_id in listed:
        by_catalogue.setdefault(film_id, set()).add(language_id)
    ids = {**by_catalogue, **by_copies}  # what the copies say wins
    languages = Language.objects.filter(pk__in=set().union(*ids.values()))  # in their order
    order = list(languages)
    return {
        film_id: [lang for lang in order if lang.pk in wanted] for film_id, wanted in ids.items()
    }
