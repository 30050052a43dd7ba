"""Where a browser flow runs.

Every flow runs on SQLite; a flow whose server side does not depend on the database
(pages read, forms refused or saved without concurrent writers) runs on SQLite only,
since the integration tests run the same views on PostgreSQL. The flows that write
under versions and locks (moves, progress, feedback, competition entries) and the
smoke tests run on both: the browser suite is the longest part of CI.
"""

import pytest

sqlite_only = pytest.mark.parametrize("live_server", ["sqlite"], indirect=True)
