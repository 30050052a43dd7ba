"""Where a programme runs: the regencies/cities it covers and the agencies taking part.

Regions and agencies are shared by every programme; these two tables hold each
programme's choice among them.
"""

from sqlalchemy import Column, ForeignKey, Table

from ..extensions import db

# The regencies and cities of the programme's province that take part.
programme_regions = Table(
    "programme_regions",
    db.metadata,
    Column("programme_id", ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True),
    Column("region_id", ForeignKey("regions.id", ondelete="CASCADE"), primary_key=True, index=True),
)

# The agencies (OPD) taking part in the programme.
programme_agencies = Table(
    "programme_agencies",
    db.metadata,
    Column("programme_id", ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "agency_id", ForeignKey("agencies.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)
