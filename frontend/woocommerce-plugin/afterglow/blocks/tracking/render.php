<?php
/**
 * Server rendering of the "Order tracking" block: the same element the shortcode writes.
 *
 * @package Afterglow
 * @var array $attributes Block attributes.
 */

defined( 'ABSPATH' ) || exit;

echo '<div ' . get_block_wrapper_attributes() . '>'; // phpcs:ignore WordPress.Security.EscapeOutput -- core escapes.
echo Afterglow_Widget::markup( array( 'locale' => (string) ( $attributes['locale'] ?? '' ) ) ); // phpcs:ignore WordPress.Security.EscapeOutput -- escaped in markup().
echo '</div>';
