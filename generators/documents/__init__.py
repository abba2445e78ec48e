"""The documents branches use every year, made from the model: the 《月度党建工作安排》 notice (Word and PDF),
blank record forms as Word documents, the yearly 党支部工作手册 (record book) and the year wall chart (挂图)."""
