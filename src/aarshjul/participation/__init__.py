"""The seed's public side: the digital plan, the idea phase and hearings online, the hvidbog.

* :mod:`~aarshjul.participation.public_phases` — phases open to the public (``public:`` in the
  template), their state, the hvidbog's reply deadline and the adoption they lead to;
* :mod:`~aarshjul.participation.plan_view` — the digital plan (*digital plan*) anyone can read;
* :mod:`~aarshjul.participation.plan_texts` — the public texts of goals and policy areas;
* :mod:`~aarshjul.participation.submissions` — receiving, routing and answering submissions;
* :mod:`~aarshjul.participation.hvidbog` and ``hvidbog_document`` — the white paper;
* :mod:`~aarshjul.participation.privacy` — retention, erasure and a person's export.
"""
