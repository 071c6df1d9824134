-- The attendance code table the warehouse used.
SELECT * FROM attendance_codes ORDER BY raw_code
