-- Each postcode's 2011 Lower Layer Super Output Area (LSOA), where the
-- postcode file gives it (the ONS Postcode Directory does; Code-Point Open
-- does not), so that deprivation and population figures can be joined to
-- postcodes. Empty when unknown.
ALTER TABLE postcodes ADD COLUMN lsoa_code TEXT NOT NULL DEFAULT '';
