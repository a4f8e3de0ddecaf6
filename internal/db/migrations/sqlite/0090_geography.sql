-- Areas for the access and inequality view: the places' wards (ONS, December
-- 2024) and their 2011 LSOAs with IMD 2019 and mid-2020 population. A
-- boundary is stored as text: polygons separated by "|", each polygon's
-- rings (outer first, then holes) by ";", and each ring's points
-- ("longitude,latitude", WGS84) by spaces. It is parsed once per process.

CREATE TABLE geo_wards (
    code       TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    area_code  TEXT NOT NULL,
    area_name  TEXT NOT NULL DEFAULT '',
    boundary   TEXT NOT NULL
);
CREATE INDEX geo_wards_area ON geo_wards (area_code);

CREATE TABLE geo_lsoas (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    area_code   TEXT NOT NULL,
    imd_rank    INTEGER NOT NULL,
    imd_decile  INTEGER NOT NULL CHECK (imd_decile BETWEEN 1 AND 10),
    imd_score   DOUBLE PRECISION NOT NULL,
    population  INTEGER NOT NULL CHECK (population >= 0),
    boundary    TEXT NOT NULL
);
CREATE INDEX geo_lsoas_area ON geo_lsoas (area_code);

-- version moves each time the areas are saved (its one row is made by the
-- first save), so that a process holding
-- them parsed in memory knows to read them again.
CREATE TABLE geo_version (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    version  INTEGER NOT NULL
);
