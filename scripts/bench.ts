// `npm run bench` runs dist/scripts/bench.js: the benchmark itself is the folder scripts/bench/.
import './bench/index';
