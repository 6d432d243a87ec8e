//! Rows of a serde row type as Arrow columns: each field a column, named and ordered as the
//! CSV writer names and orders them (both go through the same `Serialize`), so a Parquet
//! table has exactly the CSV file's columns.
//!
//! A field's Arrow type follows the type it serializes as: `u32` as UInt32, `u64` as UInt64,
//! signed integers as Int64, `f64` as Float64, `bool` as Boolean, strings (and the ISO dates,
//! written as text) as Utf8. A field serialized in single precision (`serialize_f32`, the
//! columns `pluri_schema::run` writes in their shortest single-precision form) is a Float64
//! holding the nearest double to that shortest decimal
//! ([`pluri_schema::run::single_precision`]): the number a reader of the CSV file gets.
//! A field skipped when absent (a run's `date` column) is absent from the table when the
//! first row skips it, as in the CSV file.

use crate::error::ColumnarError;
use arrow_array::builder::{
    BooleanBuilder, Float64Builder, Int64Builder, StringBuilder, UInt32Builder, UInt64Builder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use serde::ser::{self, Impossible, Serialize};
use std::sync::Arc;

/// One cell of a row, as its field serialized.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    U32(u32),
    U64(u64),
    I64(i64),
    F64(f64),
    Bool(bool),
    Str(String),
}

impl Cell {
    fn data_type(&self) -> DataType {
        match self {
            Cell::U32(_) => DataType::UInt32,
            Cell::U64(_) => DataType::UInt64,
            Cell::I64(_) => DataType::Int64,
            Cell::F64(_) => DataType::Float64,
            Cell::Bool(_) => DataType::Boolean,
            Cell::Str(_) => DataType::Utf8,
        }
    }
}

/// A column being filled.
enum Builder {
    U32(UInt32Builder),
    U64(UInt64Builder),
    I64(Int64Builder),
    F64(Float64Builder),
    Bool(BooleanBuilder),
    Str(StringBuilder),
}

impl Builder {
    fn for_type(t: &DataType) -> Option<Builder> {
        Some(match t {
            DataType::UInt32 => Builder::U32(UInt32Builder::new()),
            DataType::UInt64 => Builder::U64(UInt64Builder::new()),
            DataType::Int64 => Builder::I64(Int64Builder::new()),
            DataType::Float64 => Builder::F64(Float64Builder::new()),
            DataType::Boolean => Builder::Bool(BooleanBuilder::new()),
            DataType::Utf8 => Builder::Str(StringBuilder::new()),
            _ => return None,
        })
    }

    /// Appends `cell`, or gives it back if it is not of this column's type.
    fn push(&mut self, cell: Cell) -> Result<(), Cell> {
        match (self, cell) {
            (Builder::U32(b), Cell::U32(v)) => b.append_value(v),
            (Builder::U64(b), Cell::U64(v)) => b.append_value(v),
            (Builder::I64(b), Cell::I64(v)) => b.append_value(v),
            (Builder::F64(b), Cell::F64(v)) => b.append_value(v),
            (Builder::Bool(b), Cell::Bool(v)) => b.append_value(v),
            (Builder::Str(b), Cell::Str(v)) => b.append_value(v),
            (_, other) => return Err(other),
        }
        Ok(())
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Builder::U32(b) => Arc::new(b.finish()),
            Builder::U64(b) => Arc::new(b.finish()),
            Builder::I64(b) => Arc::new(b.finish()),
            Builder::F64(b) => Arc::new(b.finish()),
            Builder::Bool(b) => Arc::new(b.finish()),
            Builder::Str(b) => Arc::new(b.finish()),
        }
    }
}

/// The schema of a row type: its fields as the row `sample` serializes them (a row type's
/// default value gives the table of a file with no row). Every column is non-nullable.
pub fn schema_of<T: Serialize>(table: &str, sample: &T) -> Result<SchemaRef, ColumnarError> {
    let cells = row_cells(table, 0, sample)?;
    Ok(schema_of_cells(&cells))
}

fn schema_of_cells(cells: &[(&'static str, Cell)]) -> SchemaRef {
    Arc::new(Schema::new(
        cells
            .iter()
            .map(|(name, cell)| Field::new(*name, cell.data_type(), false))
            .collect::<Vec<_>>(),
    ))
}

/// Rows of one serde row type gathered into columns, then taken as record batches.
pub struct RowColumns {
    table: String,
    schema: SchemaRef,
    names: Vec<&'static str>,
    builders: Vec<Builder>,
    rows: usize,
    seen: usize,
}

impl RowColumns {
    /// Columns for the table `table` (named in errors) of the rows `sample` stands for.
    pub fn new<T: Serialize>(table: &str, sample: &T) -> Result<RowColumns, ColumnarError> {
        let cells = row_cells(table, 0, sample)?;
        let schema = schema_of_cells(&cells);
        let builders = schema
            .fields()
            .iter()
            .filter_map(|f| Builder::for_type(f.data_type()))
            .collect();
        Ok(RowColumns {
            table: table.to_string(),
            schema,
            names: cells.iter().map(|(n, _)| *n).collect(),
            builders,
            rows: 0,
            seen: 0,
        })
    }

    /// The table's schema.
    pub fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    /// Rows held since the last [`RowColumns::take`].
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Whether no row is held.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Appends one row; its columns must be the table's, in order and of the same types.
    pub fn push<T: Serialize>(&mut self, row: &T) -> Result<(), ColumnarError> {
        let index = self.seen;
        let cells = row_cells(&self.table, index, row)?;
        let fail = |message: String| ColumnarError::Row {
            table: self.table.clone(),
            row: index,
            message,
        };
        if cells.len() != self.names.len()
            || cells.iter().zip(&self.names).any(|((n, _), m)| n != m)
        {
            let got: Vec<&str> = cells.iter().map(|(n, _)| *n).collect();
            return Err(fail(format!(
                "its columns ({}) are not the table's ({})",
                got.join(","),
                self.names.join(",")
            )));
        }
        for ((name, cell), b) in cells.into_iter().zip(self.builders.iter_mut()) {
            b.push(cell).map_err(|c| ColumnarError::Row {
                table: self.table.clone(),
                row: index,
                message: format!("column {name} holds {c:?}, not a value of its type"),
            })?;
        }
        self.rows += 1;
        self.seen += 1;
        Ok(())
    }

    /// The rows held as one record batch; the columns are empty again afterwards.
    pub fn take(&mut self) -> Result<RecordBatch, ColumnarError> {
        let columns: Vec<ArrayRef> = self.builders.iter_mut().map(Builder::finish).collect();
        self.rows = 0;
        RecordBatch::try_new(self.schema.clone(), columns).map_err(|source| ColumnarError::Arrow {
            table: self.table.clone(),
            source,
        })
    }
}

/// The cells of one row, named by their fields.
fn row_cells<T: Serialize>(
    table: &str,
    row: usize,
    value: &T,
) -> Result<Vec<(&'static str, Cell)>, ColumnarError> {
    value
        .serialize(RowSerializer)
        .map_err(|e| ColumnarError::Row {
            table: table.to_string(),
            row,
            message: e.0,
        })
}

/// Why a value cannot be a row or a cell.
#[derive(Debug)]
struct Unsupported(String);

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<M: std::fmt::Display>(msg: M) -> Self {
        Unsupported(msg.to_string())
    }
}

fn unsupported<T>(what: &str) -> Result<T, Unsupported> {
    Err(Unsupported(format!(
        "{what} cannot be a column of an Arrow table of pluri's"
    )))
}

/// Serializes a struct into its named cells.
struct RowSerializer;

/// The fields of a struct being serialized.
struct RowFields(Vec<(&'static str, Cell)>);

impl ser::SerializeStruct for RowFields {
    type Ok = Vec<(&'static str, Cell)>;
    type Error = Unsupported;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Unsupported> {
        let cell = value
            .serialize(CellSerializer)
            .map_err(|e| Unsupported(format!("column {key}: {e}")))?;
        self.0.push((key, cell));
        Ok(())
    }

    fn end(self) -> Result<Self::Ok, Unsupported> {
        Ok(self.0)
    }
}

/// Everything but a struct is refused as a row.
macro_rules! refuse {
    ($what:literal; $($name:ident($($arg:ty),*)),* $(,)?) => {
        $(fn $name(self, $(_: $arg),*) -> Result<Self::Ok, Unsupported> {
            unsupported($what)
        })*
    };
}

impl ser::Serializer for RowSerializer {
    type Ok = Vec<(&'static str, Cell)>;
    type Error = Unsupported;
    type SerializeSeq = Impossible<Self::Ok, Unsupported>;
    type SerializeTuple = Impossible<Self::Ok, Unsupported>;
    type SerializeTupleStruct = Impossible<Self::Ok, Unsupported>;
    type SerializeTupleVariant = Impossible<Self::Ok, Unsupported>;
    type SerializeMap = Impossible<Self::Ok, Unsupported>;
    type SerializeStruct = RowFields;
    type SerializeStructVariant = Impossible<Self::Ok, Unsupported>;

    fn serialize_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, Unsupported> {
        Ok(RowFields(Vec::with_capacity(len)))
    }

    refuse!("a row that is not a struct";
        serialize_bool(bool), serialize_i8(i8), serialize_i16(i16), serialize_i32(i32),
        serialize_i64(i64), serialize_u8(u8), serialize_u16(u16), serialize_u32(u32),
        serialize_u64(u64), serialize_f32(f32), serialize_f64(f64), serialize_char(char),
        serialize_str(&str), serialize_bytes(&[u8]), serialize_none(), serialize_unit(),
        serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str),
    );

    fn serialize_some<T: ?Sized + Serialize>(self, v: &T) -> Result<Self::Ok, Unsupported> {
        v.serialize(self)
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<Self::Ok, Unsupported> {
        v.serialize(self)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Self::Ok, Unsupported> {
        unsupported("an enum row")
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Unsupported> {
        unsupported("a sequence row")
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Unsupported> {
        unsupported("a tuple row")
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Unsupported> {
        unsupported("a tuple row")
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Unsupported> {
        unsupported("an enum row")
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Unsupported> {
        unsupported("a map row")
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Unsupported> {
        unsupported("an enum row")
    }
}

/// Serializes one field's value into a cell.
struct CellSerializer;

impl ser::Serializer for CellSerializer {
    type Ok = Cell;
    type Error = Unsupported;
    type SerializeSeq = Impossible<Cell, Unsupported>;
    type SerializeTuple = Impossible<Cell, Unsupported>;
    type SerializeTupleStruct = Impossible<Cell, Unsupported>;
    type SerializeTupleVariant = Impossible<Cell, Unsupported>;
    type SerializeMap = Impossible<Cell, Unsupported>;
    type SerializeStruct = Impossible<Cell, Unsupported>;
    type SerializeStructVariant = Impossible<Cell, Unsupported>;

    fn serialize_bool(self, v: bool) -> Result<Cell, Unsupported> {
        Ok(Cell::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Cell, Unsupported> {
        Ok(Cell::I64(v.into()))
    }
    fn serialize_i16(self, v: i16) -> Result<Cell, Unsupported> {
        Ok(Cell::I64(v.into()))
    }
    fn serialize_i32(self, v: i32) -> Result<Cell, Unsupported> {
        Ok(Cell::I64(v.into()))
    }
    fn serialize_i64(self, v: i64) -> Result<Cell, Unsupported> {
        Ok(Cell::I64(v))
    }
    fn serialize_u8(self, v: u8) -> Result<Cell, Unsupported> {
        Ok(Cell::U32(v.into()))
    }
    fn serialize_u16(self, v: u16) -> Result<Cell, Unsupported> {
        Ok(Cell::U32(v.into()))
    }
    fn serialize_u32(self, v: u32) -> Result<Cell, Unsupported> {
        Ok(Cell::U32(v))
    }
    fn serialize_u64(self, v: u64) -> Result<Cell, Unsupported> {
        Ok(Cell::U64(v))
    }
    fn serialize_f32(self, v: f32) -> Result<Cell, Unsupported> {
        Ok(Cell::F64(pluri_schema::run::single_precision(f64::from(v))))
    }
    fn serialize_f64(self, v: f64) -> Result<Cell, Unsupported> {
        Ok(Cell::F64(v))
    }
    fn serialize_char(self, v: char) -> Result<Cell, Unsupported> {
        Ok(Cell::Str(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Cell, Unsupported> {
        Ok(Cell::Str(v.to_string()))
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<Cell, Unsupported> {
        unsupported("bytes")
    }
    fn serialize_none(self) -> Result<Cell, Unsupported> {
        unsupported("an absent value (a field skipped when absent is fine)")
    }
    fn serialize_some<T: ?Sized + Serialize>(self, v: &T) -> Result<Cell, Unsupported> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<Cell, Unsupported> {
        unsupported("a unit value")
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Cell, Unsupported> {
        unsupported("a unit value")
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Cell, Unsupported> {
        Ok(Cell::Str(variant.to_string()))
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<Cell, Unsupported> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Cell, Unsupported> {
        unsupported("an enum with data")
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Unsupported> {
        unsupported("a sequence")
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Unsupported> {
        unsupported("a tuple")
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Unsupported> {
        unsupported("a tuple")
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Unsupported> {
        unsupported("an enum with data")
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Unsupported> {
        unsupported("a map")
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, Unsupported> {
        unsupported("a nested struct")
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Unsupported> {
        unsupported("an enum with data")
    }
}
