//! A sheet's cells as a sparse grid: only non-blank rows, each with its non-empty cells.
//! Blank rows are never materialised, so a sheet with a value at row 1 000 001 costs as much
//! as one with a value at row 2.

use super::Cell;

/// One non-blank row: its 0-based index and its non-empty cells sorted by column.
#[derive(Debug, Clone)]
pub(crate) struct GridRow {
    /// 0-based row index in the sheet.
    pub row: u32,
    /// Non-empty cells, sorted by 0-based column, no duplicates.
    pub cells: Vec<(u32, Cell)>,
}

impl GridRow {
    /// The cell in a column (`Empty` when the row has nothing there).
    pub fn get(&self, col: u32) -> &Cell {
        match self.cells.binary_search_by_key(&col, |(c, _)| *c) {
            Ok(i) => &self.cells[i].1,
            Err(_) => &Cell::Empty,
        }
    }

    /// Puts a cell in a column (replacing what was there), keeping the columns sorted.
    pub fn set(&mut self, col: u32, cell: Cell) {
        match self.cells.binary_search_by_key(&col, |(c, _)| *c) {
            Ok(i) => self.cells[i].1 = cell,
            Err(i) => self.cells.insert(i, (col, cell)),
        }
    }

    /// Moves the cell of a column out of the row (leaving `Empty`).
    pub fn take(&mut self, col: u32) -> Cell {
        match self.cells.binary_search_by_key(&col, |(c, _)| *c) {
            Ok(i) => std::mem::replace(&mut self.cells[i].1, Cell::Empty),
            Err(_) => Cell::Empty,
        }
    }
}

/// The non-blank rows of a sheet, in row order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Grid {
    /// Non-blank rows, sorted by row index.
    pub rows: Vec<GridRow>,
}

impl Grid {
    /// Builds a grid from cells in any order; empty cells are dropped, and of two cells at the
    /// same position the first wins.
    pub fn from_cells(cells: impl IntoIterator<Item = (u32, u32, Cell)>) -> Grid {
        let mut cells: Vec<(u32, u32, Cell)> = cells
            .into_iter()
            .filter(|(_, _, c)| !c.is_empty())
            .collect();
        // Readers deliver row order almost always; a stable sort is then a linear check.
        cells.sort_by_key(|(r, c, _)| (*r, *c));
        let mut rows: Vec<GridRow> = Vec::new();
        for (r, c, cell) in cells {
            match rows.last_mut() {
                Some(last) if last.row == r => {
                    if last.cells.last().is_some_and(|(lc, _)| *lc == c) {
                        continue;
                    }
                    last.cells.push((c, cell));
                }
                _ => rows.push(GridRow {
                    row: r,
                    cells: vec![(c, cell)],
                }),
            }
        }
        Grid { rows }
    }

    /// How many blank rows lie between row 0 and the last non-blank row.
    pub fn blank_rows(&self) -> u32 {
        match self.rows.last() {
            Some(last) => (last.row as u64 + 1 - self.rows.len() as u64) as u32,
            None => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparse_rows() {
        let g = Grid::from_cells([
            (5, 1, Cell::Int(2)),
            (0, 0, Cell::Text("a".into())),
            (5, 0, Cell::Int(1)),
            (3, 0, Cell::Empty),
            (1_000_000, 0, Cell::Int(3)),
        ]);
        assert_eq!(g.rows.len(), 3);
        assert_eq!(g.rows[1].row, 5);
        assert_eq!(g.rows[1].get(0), &Cell::Int(1));
        assert_eq!(g.rows[1].get(7), &Cell::Empty);
        assert_eq!(g.blank_rows(), 1_000_001 - 3);
    }
}
