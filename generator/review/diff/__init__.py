"""What changed between two versions of the source: in the data and in the documents.

`compare.compare_sources` validates both versions, compares the models (`model`: actions by their
stable ID, budget lines per year, every computed total), renders every document of `DOCUMENTS` for
both and diffs their text (`lines`, word by word through `words`), and makes a redline .docx per
document with native Word tracked changes (`redline`). `reports` writes the summary for the terminal,
as Markdown and as HTML. `run_diff` does this for two git revisions, `run_year_diff` for two years.
"""

from .compare import Comparison, VersionInvalid, compare_sources, run_diff, run_year_diff
from .reports import terminal_report

__all__ = ["Comparison", "VersionInvalid", "compare_sources", "run_diff", "run_year_diff", "terminal_report"]
