"""Two levels of themes: a top-level theme joins only sub-themes about the same thing.

Each language has four sub-themes: two about one subject (the bus: late buses and waiting
for a bus that never comes; or rent: the rent rising and rent too dear to pay) and two
unrelated ones. The
fine labels are given, so what is tested is the grouping alone; then a whole fit.
"""

from __future__ import annotations

import numpy as np
import pytest

from analysis import ThemeFinder
from analysis._cluster import TOP_LEVEL_SIMILARITY, group_top_level, theme_similarity
from analysis._vectorize import LexicalVectorizer

# language -> sub-themes; the first two of each language are about the same subject.
SUBTHEMES = {
    "en": [
        [
            "The bus is late every morning",
            "The night bus is always late",
            "The bus came forty minutes late again",
            "Late buses make me late for work",
            "Why is the bus late every single day",
            "The school bus was late three times this week",
            "The bus is late when it rains",
            "Buses run late on weekends",
        ],
        [
            "I wait an hour for the bus every day",
            "The bus never comes when I need it and is late",
            "We wait for the bus in the cold",
            "We wait and wait for the late bus",
            "On Sundays the bus is late or never comes",
            "I missed the doctor because the bus never came",
            "Waiting for the bus takes longer than walking",
            "I wait for the bus because it is always late",
        ],
        [
            "The library closes too early on weekdays",
            "Please open the library on Sundays",
            "The library needs more books for children",
            "Library opening hours are too short",
            "We need a quiet room in the library to study",
            "The library computers are always taken",
            "Longer library hours during exams please",
            "The library has no books in Arabic",
        ],
        [
            "Nobody collects the garbage on our street",
            "Garbage bins overflow every week",
            "The garbage truck skipped us again",
            "Rats come because of the garbage",
            "Garbage collection should be twice a week",
            "The garbage smells in the summer",
            "Bulky garbage is left on the pavement for weeks",
            "We need more garbage bins in the market",
        ],
    ],
    "es": [
        [
            "El autobús llega tarde todas las mañanas",
            "El autobús nocturno siempre llega tarde",
            "El autobús llegó cuarenta minutos tarde otra vez",
            "Llego tarde al trabajo porque el autobús llega tarde",
            "Los fines de semana el autobús pasa tarde",
            "El autobús escolar llegó tarde tres veces",
            "Cuando llueve el autobús llega tarde",
            "Por qué el autobús llega tarde cada día",
        ],
        [
            "Espero una hora el autobús cada día",
            "El autobús nunca viene y llega tarde",
            "Esperamos el autobús con frío",
            "Esperamos y esperamos el autobús que llega tarde",
            "Los domingos el autobús nunca viene",
            "Perdí la cita del médico porque el autobús no vino",
            "Esperar el autobús tarda más que caminar",
            "Espero el autobús porque siempre llega tarde",
        ],
        [
            "La biblioteca cierra muy temprano",
            "Abran la biblioteca los domingos",
            "La biblioteca necesita más libros para niños",
            "El horario de la biblioteca es muy corto",
            "Necesitamos una sala de estudio en la biblioteca",
            "Los ordenadores de la biblioteca siempre están ocupados",
            "Más horas de biblioteca durante los exámenes",
            "La biblioteca no tiene libros en árabe",
        ],
        [
            "Nadie recoge la basura en nuestra calle",
            "Los contenedores de basura se desbordan",
            "El camión de la basura no pasó otra vez",
            "Hay ratas por la basura",
            "La recogida de basura debería ser dos veces por semana",
            "La basura huele mal en verano",
            "Dejan la basura en la acera durante semanas",
            "Necesitamos más contenedores de basura en el mercado",
        ],
    ],
    "fr": [
        [
            "Le loyer augmente chaque année",
            "Notre loyer a encore augmenté",
            "Le propriétaire a augmenté le loyer de vingt pour cent",
            "Le loyer augmente mais pas les salaires",
            "Le loyer a augmenté deux fois cette année",
            "Encore une augmentation du loyer en janvier",
            "Le loyer augmente plus vite que tout",
            "Arrêtez les augmentations de loyer",
        ],
        [
            "Le loyer est trop cher pour les familles",
            "Je ne peux plus payer le loyer",
            "Le loyer prend la moitié de mon salaire",
            "Un loyer moins cher pour les familles svp",
            "Payer le loyer est impossible avec un petit salaire",
            "Le loyer est trop cher dans le quartier",
            "Le loyer augmente et devient trop cher",
            "Avec le loyer qui augmente nous ne pouvons plus payer",
        ],
        [
            "La piscine municipale est fermée depuis des mois",
            "Rouvrez la piscine pour les enfants",
            "La piscine est trop chère",
            "Il faut plus de cours de natation à la piscine",
            "Les horaires de la piscine sont trop courts",
            "La piscine est sale",
            "La piscine n'a pas de maître-nageur le soir",
            "Une piscine plus proche du quartier",
        ],
        [
            "Les trottoirs sont pleins de trous",
            "Réparez les trottoirs de la rue principale",
            "Les trottoirs sont trop étroits pour les poussettes",
            "Les voitures se garent sur les trottoirs",
            "Les trottoirs sont glissants en hiver",
            "Pas de trottoirs près de l'école",
            "Les trottoirs cassés sont dangereux pour les personnes âgées",
            "Les trottoirs ne sont jamais nettoyés",
        ],
    ],
}


def _fixture(language: str) -> tuple[list[str], np.ndarray]:
    texts, labels = [], []
    for label, answers in enumerate(SUBTHEMES[language]):
        texts += answers
        labels += [label] * len(answers)
    return texts, np.array(labels)


@pytest.mark.parametrize("language", sorted(SUBTHEMES))
def test_related_subthemes_share_a_top_level_theme_unrelated_do_not(language: str) -> None:
    texts, fine = _fixture(language)
    vectors = LexicalVectorizer(language, random_state=0).fit_transform(texts)
    parents = group_top_level(vectors, fine, np.ones(len(texts)))
    assert parents[0] == parents[1]  # the same subject
    assert len({parents[0], parents[2], parents[3]}) == 3  # three unrelated subjects


@pytest.mark.parametrize("language", sorted(SUBTHEMES))
def test_every_two_subthemes_of_a_top_level_theme_are_alike(language: str) -> None:
    texts, fine = _fixture(language)
    vectors = LexicalVectorizer(language, random_state=0).fit_transform(texts)
    weights = np.ones(len(texts))
    similarity = theme_similarity(vectors, fine, weights)
    assert similarity[0, 1] >= TOP_LEVEL_SIMILARITY
    for a, b in ((0, 2), (0, 3), (1, 2), (1, 3), (2, 3)):
        assert similarity[a, b] < TOP_LEVEL_SIMILARITY
    parents = group_top_level(vectors, fine, weights)
    for group in set(parents.tolist()):
        members = np.flatnonzero(parents == group)
        assert similarity[np.ix_(members, members)].min() >= TOP_LEVEL_SIMILARITY


def test_unrelated_themes_are_never_joined_to_reach_a_number() -> None:
    """Three unrelated subjects: three top-level themes; none is joined to make fewer."""
    texts, fine = _fixture("en")
    keep = np.isin(fine, [0, 2, 3])
    texts = [t for t, k in zip(texts, keep, strict=True) if k]
    vectors = LexicalVectorizer("en", random_state=0).fit_transform(texts)
    _, labels = np.unique(fine[keep], return_inverse=True)
    parents = group_top_level(vectors, labels, np.ones(len(texts)))
    assert len(set(parents.tolist())) == 3


def test_weights_and_order_do_not_change_the_groups() -> None:
    texts, fine = _fixture("es")
    vectors = LexicalVectorizer("es", random_state=0).fit_transform(texts)
    first = group_top_level(vectors, fine, np.ones(len(texts)))
    again = group_top_level(vectors, fine, np.ones(len(texts)))
    assert first.tolist() == again.tolist()
    pairs = {(a, b) for a in range(4) for b in range(4) if first[a] == first[b]}
    doubled = group_top_level(vectors, fine, np.full(len(texts), 2.0))
    assert {(a, b) for a in range(4) for b in range(4) if doubled[a] == doubled[b]} == pairs


@pytest.mark.parametrize("language", sorted(SUBTHEMES))
def test_fit_top_level_never_mixes_unrelated_subjects(language: str) -> None:
    """A whole fit with a low ``max_themes``: each top-level theme holds answers of one
    subject only (bus, library, garbage…), and there are as many top-level themes as
    subjects found, more than ``max_themes``; same seed, same result."""
    texts, fine = _fixture(language)
    subject = np.where(fine == 1, 0, fine)  # sub-themes 0 and 1 are one subject
    finder = ThemeFinder(random_state=0, max_themes=2, sentiment=False).fit(
        texts * 2, [language] * (2 * len(texts))
    )
    parent = {t.id: t.parent if t.parent is not None else t.id for t in finder.themes_}
    top = np.array([parent[int(x)] for x in finder.labels_])
    subjects = np.concatenate([subject, subject])
    for theme in set(top.tolist()):
        assert len(set(subjects[top == theme].tolist())) == 1, finder.themes_[theme].label
    assert len(set(top.tolist())) == 3 > finder.max_themes
    again = ThemeFinder(random_state=0, max_themes=2, sentiment=False).fit(
        texts * 2, [language] * (2 * len(texts))
    )
    assert again.labels_.tolist() == finder.labels_.tolist()


def test_a_bound_on_the_top_level_never_joins_unrelated_subjects() -> None:
    """Asked for at most two top-level themes, three unrelated subjects stay three: the
    tree is cut lower only while every two sub-themes of a group stay alike (the floor)."""
    texts, fine = _fixture("en")
    vectors = LexicalVectorizer("en", random_state=0).fit_transform(texts)
    weights = np.ones(len(texts))
    unbounded = group_top_level(vectors, fine, weights)
    bounded = group_top_level(vectors, fine, weights, max_groups=2)
    assert bounded.tolist() == unbounded.tolist()
    assert len(set(bounded.tolist())) == 3
    # Without the floor the bound is met, by joining the least different groups first.
    forced = group_top_level(vectors, fine, weights, max_groups=2, floor=-1.0)
    assert len(set(forced.tolist())) == 2
    assert forced[0] == forced[1]
