"""Files in and out: CSV and XLSX imports from CRMs and spreadsheets, exports, the JSON dump.

No Textual here (the UI calls these functions from thread workers). openpyxl is imported
only inside the functions that read or write workbooks.
"""
