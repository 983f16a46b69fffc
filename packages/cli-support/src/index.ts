export { formatAddress, formatByteSize, parseByteSize } from './byte-size.js';
