-- Binary send/recv: the bytes, the round trip, and validation on receive.
SET search_path = ticket, public;
SELECT fiscal_code_send('CCCFBA85D03L21VE') AS personal,
       fiscal_code_send('02342520158') AS numeric,
       fiscal_code_send('STP0800001234567') AS stp;

-- Round trip through COPY BINARY.
CREATE TEMP TABLE bin_src (cf fiscal_code);
INSERT INTO bin_src VALUES ('CCCFBA85D03L21VE'), ('02342520158'), ('ENI0800001234567');
\copy bin_src TO 'results/binary_io.dat' WITH (FORMAT binary)
CREATE TEMP TABLE bin_dst (cf fiscal_code);
\copy bin_dst FROM 'results/binary_io.dat' WITH (FORMAT binary)
SELECT count(*) AS round_tripped FROM bin_src JOIN bin_dst USING (cf);

-- recv validates: a binary value with a bad check character is refused.
\copy (SELECT 'CCCFBA85D03L219X'::text) TO 'results/binary_io_bad.dat' WITH (FORMAT binary)
\copy bin_dst FROM 'results/binary_io_bad.dat' WITH (FORMAT binary)
\copy (SELECT 'CCCFBA85D03L219'::text) TO 'results/binary_io_bad.dat' WITH (FORMAT binary)
\copy bin_dst FROM 'results/binary_io_bad.dat' WITH (FORMAT binary)

-- Bytes no text input can carry (a NUL, a byte that is not ASCII) are named
-- and shown escaped: the message neither stops at the NUL nor passes the
-- byte to the client as it is.
\copy (SELECT decode('00000000000000000000000000000000', 'hex')) TO 'results/binary_io_bad.dat' WITH (FORMAT binary)
\copy bin_dst FROM 'results/binary_io_bad.dat' WITH (FORMAT binary)
\copy (SELECT decode('5253534d524138354430334c323139ff', 'hex')) TO 'results/binary_io_bad.dat' WITH (FORMAT binary)
\copy bin_dst FROM 'results/binary_io_bad.dat' WITH (FORMAT binary)
CREATE TEMP TABLE bin_band (band income_band);
\copy (SELECT decode('52ff', 'hex')) TO 'results/binary_io_bad.dat' WITH (FORMAT binary)
\copy bin_band FROM 'results/binary_io_bad.dat' WITH (FORMAT binary)
\copy (SELECT decode('5200', 'hex')) TO 'results/binary_io_bad.dat' WITH (FORMAT binary)
\copy bin_band FROM 'results/binary_io_bad.dat' WITH (FORMAT binary)
