"""The database task worker of `partnerboard worker`, built in the test process."""

from django_tasks_db.management.commands.db_worker import Worker


def database_worker() -> Worker:
    """Return a worker of the default queue that runs every due task at once, without pauses."""
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
