"""The MedQuAD sample the tests read, and how it is cut from the archive.

    python -m askwell.testing.medquad_sample [--archive PATH] [--check]

copies FILES (and the collection's readme.txt and LICENSE.txt) byte for byte
from MedQuAD's medquad.tar.gz (default: medquad.tar.gz in the shared data
folder, see askwell/testing/datasets.py) into askwell/testing/data/medquad/,
laid out as in the archive. `--check` changes nothing and exits 1 when the
carried sample differs from the archive. The corpus-tier test
test_medquad_reader.py::test_the_carried_sample_is_cut_from_the_archive does
the same check in the suite.

MedQuAD (Ben Abacha & Demner-Fushman, BMC Bioinformatics 2019) is published
under CC BY 4.0; see askwell/testing/data/README.md.
"""

from __future__ import annotations

import argparse
import sys
import tarfile
from pathlib import Path

from askwell.testing.datasets import MEDQUAD_SAMPLE, shared_data

# Each file with the reason it is in the sample: every one of the 12 sources,
# every schema variant the reader handles, and the documents the import tests
# merge.
FILES = {
    # One file of each source folder.
    "1_CancerGov_QA/0000001_1.xml": "CancerGov; answers with bulleted lists",
    "2_GARD_QA/0000004.xml": "GARD; a symptom table in an answer",
    "3_GHR_QA/0000001.xml": "GHR; several synonyms and semantic types",
    "4_MPlus_Health_Topics_QA/0000001.xml": "MedlinePlus health topics; a category",
    "5_NIDDK_QA/0000001.xml": "NIDDK",
    "6_NINDS_QA/0000001.xml": "NINDS",
    "7_SeniorHealth_QA/0000001.xml": "NIHSeniorHealth",
    "8_NHLBI_QA_XML/0000001.xml": "NHLBI; two CUIs, unmarked list items",
    "9_CDC_QA/0000001.xml": "CDC; no UMLS annotations",
    "10_MPlus_ADAM_QA/0000001.xml": "A.D.A.M.; no answer texts, pids with gaps",
    "11_MPlusDrugs_QA/0000001.xml": "MedlinePlus drugs; no answer texts",
    "12_MPlusHerbsSupplements_QA/0000001.xml": "MedlinePlus herbs; no answer texts",
    # <doc docid corpus>, <doctitle-focus>, <qaPairs>, <pair>, lower-case children.
    "6_NINDS_QA/0000007.xml": "NINDS lower-case schema",
    "6_NINDS_QA/0000018.xml": "NINDS lower-case schema",
    "6_NINDS_QA/0000182.xml": "NINDS lower-case schema",
    "6_NINDS_QA/0000244.xml": "NINDS lower-case schema",
    # <DiseaseFile fid source>.
    "9_CDC_QA/0000397.xml": "CDC <DiseaseFile> schema",
    # An empty <QAPairs>.
    "5_NIDDK_QA/0000056.xml": "no pairs",
    "5_NIDDK_QA/0000064.xml": "no pairs",
    "5_NIDDK_QA/0000065.xml": "no pairs",
    "5_NIDDK_QA/0000077.xml": "no pairs",
    "5_NIDDK_QA/0000175.xml": "no pairs",
    "5_NIDDK_QA/0000177.xml": "no pairs",
    # Alagille syndrome from three sources: one question, three answers.
    "2_GARD_QA/0000210.xml": "Alagille syndrome (GARD)",
    "3_GHR_QA/0000030.xml": "Alagille syndrome (GHR)",
    "5_NIDDK_QA/0000181.xml": "Alagille syndrome (NIDDK)",
}
# The collection's own files, carried for its attribution and licence.
NOTICES = ("readme.txt", "LICENSE.txt")
TOP = "medquad"  # the archive's top folder


def cut(archive: Path) -> dict[str, bytes]:
    """The sample's files (relative path → bytes), read from ARCHIVE."""
    wanted = {f"{TOP}/{name}": name for name in (*FILES, *NOTICES)}
    found: dict[str, bytes] = {}
    with tarfile.open(archive) as tar:
        for member in tar:
            if member.name in wanted and member.isfile():
                found[wanted[member.name]] = tar.extractfile(member).read()  # type: ignore[union-attr]
    missing = sorted(set(wanted.values()) - set(found))
    if missing:
        raise ValueError(f"not in {archive}: {', '.join(missing)}")
    return found


def carried(folder: Path = MEDQUAD_SAMPLE) -> dict[str, bytes]:
    """The files of the carried sample (relative path → bytes)."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def write(files: dict[str, bytes], folder: Path = MEDQUAD_SAMPLE) -> None:
    """Replace FOLDER's files with FILES."""
    for old in carried(folder) if folder.exists() else {}:
        (folder / old).unlink()
    for name, data in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--archive", type=Path, default=shared_data() / "medquad.tar.gz"
    )
    parser.add_argument(
        "--check", action="store_true", help="compare only; exit 1 on a difference"
    )
    options = parser.parse_args(argv)
    files = cut(options.archive)
    if options.check:
        differ = sorted(set(files.items()) ^ set(carried().items()))
        names = sorted({name for name, _ in differ})
        for name in names:
            print(f"differs from the archive: {name}")  # noqa: T201
        return 1 if names else 0
    write(files)
    size = sum(len(data) for data in files.values())
    print(f"{len(files)} files, {size:,} bytes in {MEDQUAD_SAMPLE}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
