"""The reader comments under the baclofen seed article, as the importer kept them in data/.

Real examples for moderation: the 5G/FDA comment (Wiley) and "rls is caused by too much wifi" (Tim)
are claims; the clinician's comment (Umesh) and the sceptical one (Vishnupriya) are not.
"""

from __future__ import annotations

import yaml

from tests.support.fake_discord import ROOT

_COMMENTS = {
    c["author"]: " ".join(c["text"].split())
    for c in yaml.safe_load((ROOT / "data" / "articles" / "comments" / "baclofen.yaml").read_text())[
        "comments"
    ]
}
WILEY = _COMMENTS["Wiley William"]
TIM = _COMMENTS["Tim H"]
UMESH = _COMMENTS["Umesh Sukhwani"]
VISHNUPRIYA = _COMMENTS["Vishnupriya Srivastava"]
