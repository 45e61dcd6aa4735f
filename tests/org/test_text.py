from lms.core.text import collation_key, fold, name_sort_key, normalize_text, safe_cell


def test_input_is_normalised_to_nfc_and_whitespace_folded():
    decomposed = (
        "Nguye\u0302\u0303n  Va\u0306n   A\u0300"  # NFD, as macOS and some keyboards send it
    )
    assert normalize_text(decomposed) == "Nguyễn Văn Ằ".replace("Ằ", "À")


def test_fold_ignores_accents_and_maps_d_bar():
    assert fold("Dân chủ") == "dan chu"
    assert fold("Đồng Tháp") == "dong thap"


def test_vietnamese_alphabet_order_is_not_code_point_order():
    words = ["đào", "dung", "ăn", "an", "ân", "bình", "ơn", "ông", "ôm", "uyên", "ưng"]
    assert sorted(words, key=collation_key) == [
        "an",
        "ăn",
        "ân",
        "bình",
        "dung",
        "đào",
        "ôm",
        "ông",
        "ơn",
        "uyên",
        "ưng",
    ]


def test_tones_are_a_secondary_difference_in_vietnamese_order():
    assert sorted(["má", "mạ", "mà", "ma", "mã", "mả", "mai"], key=collation_key) == [
        "ma", "mà", "mả", "mã", "má", "mạ", "mai",
    ]  # fmt: skip


def test_names_sort_by_given_name_then_middle_then_family():
    names = ["Nguyễn Văn Bình", "Trần Thị An", "Lê Văn An", "Đỗ Thị Ánh", "Phạm Anh"]
    assert sorted(names, key=name_sort_key) == [
        "Trần Thị An",
        "Lê Văn An",
        "Phạm Anh",
        "Đỗ Thị Ánh",
        "Nguyễn Văn Bình",
    ]


def test_formula_like_cells_are_neutralised():
    assert safe_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert safe_cell("+84912") == "'+84912"
    assert safe_cell("Nguyễn") == "Nguyễn"
    assert safe_cell(42) == 42
