from django_tasks import task

from . import services


@task()
def render_submission_pdf(submission_id: int, revision: int) -> str:
    return services.render_and_store(submission_id, revision)
