/**
 * Rows as aligned columns, two spaces apart, each as wide as its widest cell so a long cell (a
 * mount point, a host name) pushes its column instead of the next one. The last column is not
 * padded, so nothing trails a line. `right` columns are aligned right (numbers).
 */
export function table(rows: string[][], options: { indent?: string; right?: number[] } = {}) {
  const columns = Math.max(0, ...rows.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, i) =>
    Math.max(0, ...rows.map((row) => row[i]?.length ?? 0)),
  );
  return rows
    .map(
      (row) =>
        (options.indent ?? '') +
        row
          .map((cell, i) => {
            const width = widths[i] ?? 0;
            if (options.right?.includes(i)) return cell.padStart(width);
            return i < row.length - 1 ? cell.padEnd(width) : cell;
          })
          .join('  ')
          .trimEnd(),
    )
    .join('\n');
}
